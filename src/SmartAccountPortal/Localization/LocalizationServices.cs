using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace SmartAccountPortal.Localization;

/// <summary>The languages the portal speaks, in one place; the first is the default.</summary>
public sealed class LanguageOptions
{
    public const string Section = "Localization";

    /// <summary>Culture names such as "en", "it", "nl"; each needs its Resources/texts.{name}.json.</summary>
    public string[] Cultures { get; set; } = [];

    public string Default => Cultures[0];
}

public static class LanguageClaims
{
    /// <summary>The signed-in person's saved language, carried in the sign-in cookie.</summary>
    public const string Language = "portal:language";
}

/// <summary>
/// Which language a request is answered in: the signed-in person's saved choice, then the
/// switcher's cookie, then (on an activation page) the request's Customer Language, then the
/// browser's Accept-Language, then the default.
/// </summary>
public static class LocalizationServices
{
    public static IServiceCollection AddPortalLocalization(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddOptions<LanguageOptions>().BindConfiguration(LanguageOptions.Section)
            .Validate(o => o.Cultures.Length > 0, "Localization:Cultures must name at least one culture.")
            .Validate(o => o.Cultures.All(c => c == Texts.PseudoCulture || Texts.Known(c) is not null),
                "Every culture in Localization:Cultures needs its Resources/texts.{culture}.json.")
            .ValidateOnStart();
        services.AddSingleton<IStringLocalizerFactory, TextLocalizerFactory>();
        services.AddTransient(typeof(IStringLocalizer<>), typeof(StringLocalizer<>));
        services.AddSingleton(sp => sp.GetRequiredService<IStringLocalizerFactory>().Create(typeof(Texts)));

        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<LanguageOptions>>((options, languages) =>
        {
            var cultures = languages.Value.Cultures.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture(cultures[0]);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(context => Task.FromResult(
                    context.User.FindFirstValue(LanguageClaims.Language) is { Length: > 0 } saved ? new ProviderCultureResult(saved) : null)),
                new CookieRequestCultureProvider { CookieName = Infrastructure.PortalCookies.Name(environment, CookieName) },
                new CustomRequestCultureProvider(CustomerLanguageAsync),
                new AcceptLanguageHeaderRequestCultureProvider { MaximumAcceptLanguageHeaderValuesToTry = 5 },
            ];
        });
        return services;
    }

    public const string CookieName = "portal.language";

    /// <summary>
    /// A customer's activation page opens in the language the partner chose for them (unless they
    /// chose one with the switcher): the request is found by its token's hash, as the page does.
    /// </summary>
    private static async Task<ProviderCultureResult?> CustomerLanguageAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/Activation", StringComparison.OrdinalIgnoreCase, out var rest)
            || rest.Value?.TrimStart('/') is not { } token || !Mail.ActivationTokens.IsWellFormed(token))
        {
            return null;
        }

        var hash = Mail.ActivationTokens.Hash(token);
        var db = context.RequestServices.GetRequiredService<Data.PortalDbContext>();
        var language = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleOrDefaultAsync(
            db.Requests.Where(r => r.ActivationTokenHash == hash).Select(r => r.CustomerLanguage), context.RequestAborted);
        return language is null ? null : new ProviderCultureResult(language);
    }

    /// <summary>The switcher's cookie: the culture, for a year, for this site only.</summary>
    public static void RememberLanguage(this HttpResponse response, string culture, IHostEnvironment environment)
    {
        var development = environment.IsDevelopment();
        response.Cookies.Append(
            Infrastructure.PortalCookies.Name(environment, CookieName),
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                HttpOnly = true,
                IsEssential = true,
                Path = "/",
                SameSite = SameSiteMode.Lax,
                Secure = !development,
            });
    }

    /// <summary>Messages of model binding (a value that is not a number, a missing value) from the texts.</summary>
    public static void LocalizeModelBinding(MvcOptions options)
    {
        var messages = options.ModelBindingMessageProvider;
        messages.SetAttemptedValueIsInvalidAccessor((_, _) => Texts.Get("Validation.ValueInvalid"));
        messages.SetMissingBindRequiredValueAccessor(_ => Texts.Get("Validation.ValueMissing"));
        messages.SetMissingKeyOrValueAccessor(() => Texts.Get("Validation.ValueMissing"));
        messages.SetMissingRequestBodyRequiredValueAccessor(() => Texts.Get("Validation.ValueMissing"));
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => Texts.Get("Validation.ValueInvalid"));
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => Texts.Get("Validation.ValueInvalid"));
        messages.SetNonPropertyValueMustBeANumberAccessor(() => Texts.Get("Validation.ValueInvalid"));
        messages.SetUnknownValueIsInvalidAccessor(_ => Texts.Get("Validation.ValueInvalid"));
        messages.SetValueIsInvalidAccessor(_ => Texts.Get("Validation.ValueInvalid"));
        messages.SetValueMustBeANumberAccessor(_ => Texts.Get("Validation.ValueInvalid"));
        messages.SetValueMustNotBeNullAccessor(_ => Texts.Get("Validation.ValueMissing"));
    }
}
