using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Serilog;
using Serilog.Formatting.Json;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Infrastructure;

public static class Policies
{
    public const string Partner = "Partner";
    public const string Support = "Support";
    public const string Administrator = "Administrator";
    public const string OrganisationAdministrator = "OrganisationAdministrator";
}

public static class RateLimitPolicies
{
    public const string SignIn = "sign-in";
    public const string Activation = "activation";
}

/// <summary>The portal's service registrations, grouped by what they add.</summary>
public static class PortalServices
{
    /// <summary>Serilog to the console: readable text in Development, JSON everywhere else.</summary>
    public static WebApplicationBuilder AddPortalLogging(this WebApplicationBuilder builder)
    {
        // Levels (and any further console sink) from configuration. The sinks' assembly is named
        // here, so Serilog does not read every assembly the portal ships to look for them.
        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration, new Serilog.Settings.Configuration.ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly))
            .Enrich.FromLogContext()
            .Enrich.With<RedactSecretsEnricher>();
        configuration = builder.Environment.IsDevelopment()
            ? configuration.WriteTo.Console(
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                formatProvider: CultureInfo.InvariantCulture)
            : configuration.WriteTo.Console(new JsonFormatter(renderMessage: true, formatProvider: CultureInfo.InvariantCulture));
        builder.Logging.ClearProviders().AddSerilog(configuration.CreateLogger(), dispose: true);
        builder.Services.PostConfigure<LoggerFilterOptions>(LogRedaction.SilenceHostingScope);
        RequestActivities.Start();
        return builder;
    }

    public static IServiceCollection AddPortalOptions(this IServiceCollection services)
    {
        services.AddOptions<PortalOptions>().BindConfiguration(PortalOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => o.PublicBaseUrl is { IsAbsoluteUri: true }, "Portal:PublicBaseUrl must be an absolute URL.")
            .Validate(o => o.SupportCaseUrl is { IsAbsoluteUri: true }, "Portal:SupportCaseUrl must be an absolute URL.")
            .Validate(o => ReaderTimeZone.Find(o.DefaultTimeZone) is not null, "Portal:DefaultTimeZone must be a time zone id such as Europe/Rome or UTC.")
            .ValidateOnStart();
        services.AddOptions<RequestOptions>().BindConfiguration(RequestOptions.Section)
            .Validate(o => o.ExpiresAfter > TimeSpan.Zero, "Requests:ExpiresAfter must be positive.")
            .Validate(o => o.RemindBeforeExpiry >= TimeSpan.Zero, "Requests:RemindBeforeExpiry cannot be negative.")
            .ValidateOnStart();
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddOptions<SeedOptions>().BindConfiguration(SeedOptions.Section);
        services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section);
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.RetryBaseDelay > TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay, "Mail:RetryBaseDelay must be positive and at most Mail:RetryMaxDelay.")
            .ValidateOnStart();
        services.AddOptions<BackgroundOptions>().BindConfiguration(BackgroundOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Background:PollInterval must be positive.")
            .Validate(o => o.LeaseDuration > TimeSpan.Zero, "Background:LeaseDuration must be positive.")
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        return services;
    }

    /// <summary>The database on the configured provider, and the Data Protection keys kept in it.</summary>
    public static IServiceCollection AddPortalData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var provider = configuration.GetValue(DatabaseOptions.Section + ":" + nameof(DatabaseOptions.Provider), DatabaseProvider.Sqlite);
        var connectionString = configuration.GetConnectionString("Portal")
            ?? throw new InvalidOperationException("ConnectionStrings:Portal is not set.");
        // Interceptors registered as services (singletons) join every context (the tests add one
        // that fills the disk). Contexts are pooled: a request takes a reset one instead of
        // building the context's own services anew, which made a simple query twice as slow.
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                SqliteEngine.Configure();
                var sqlite = SqliteConnectionString(connectionString, environment.ContentRootPath);
                services.AddDbContextPool<PortalDbContext, SqlitePortalDbContext>((sp, o) => o.UseSqlite(sqlite).UseModel(Data.CompiledModels.Sqlite.SqlitePortalDbContextModel.Instance).AddInterceptors(sp.GetServices<IInterceptor>()).AddInterceptors(new SqliteWaits()));
                services.AddSingleton(new PlainConnection(SqlitePortalDbContext.NewestMigration, () => new Microsoft.Data.Sqlite.SqliteConnection(sqlite), IsSqlite: true));
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<PortalDbContext, SqlServerPortalDbContext>((sp, o) => o.UseSqlServer(connectionString).UseModel(Data.CompiledModels.SqlServer.SqlServerPortalDbContextModel.Instance).AddInterceptors(sp.GetServices<IInterceptor>()));
                services.AddSingleton(new PlainConnection(SqlServerPortalDbContext.NewestMigration, () => new Microsoft.Data.SqlClient.SqlConnection(connectionString), IsSqlite: false));
                break;
            default:
                throw new InvalidOperationException($"Database:Provider '{provider}' is not supported.");
        }

        // The keys behind cookies, forms and the links kept in the outbox live in the database,
        // shared by every instance. With a certificate configured they are encrypted there too.
        var dataProtection = services.AddDataProtection().SetApplicationName("SmartAccountPortal");
        var certificate = configuration["DataProtection:CertificatePath"];
        if (!string.IsNullOrEmpty(certificate))
        {
            dataProtection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                Path.Combine(environment.ContentRootPath, certificate), configuration["DataProtection:CertificatePassword"]));
        }

        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceScopeFactory, PlainConnection>((options, scopes, plain) => options.XmlRepository = new DatabaseXmlRepository(scopes, plain));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    /// <summary>Accounts (ASP.NET Core Identity, no self-registration), roles and the policies built on them.</summary>
    public static IServiceCollection AddPortalIdentity(this IServiceCollection services, IHostEnvironment environment)
    {
        // Identity's services and cookies without its default UI (its package is not referenced):
        // every account page is the portal's own (Areas/Identity).
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddIdentityCore<PortalUser>(options =>
            {
                // As the schema was made (the key lengths of logins and tokens).
                options.Stores.MaxLengthForKeys = 128;
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);

                // Length over composition rules (ASVS 6.2): 12 characters, any kind.
                options.Password.RequiredLength = 12;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<PortalDbContext>()
            .AddUserStore<Users.PortalUserStore>()
            .AddSignInManager<Users.PortalSignInManager>()
            .AddDefaultTokenProviders()
            .AddClaimsPrincipalFactory<PortalClaimsPrincipalFactory>();
        services.AddScoped<Users.UnknownSignIns>();
        services.AddScoped<Users.Invitations>();
        services.AddScoped<Users.PeopleDirectory>();

        // Outside Development every cookie is Secure and __Host- prefixed (PortalCookies).
        var secure = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = PortalCookies.Name(environment, "portal.session");
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = secure;
            options.Cookie.Path = "/";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = "/Identity/Account/Login";
            options.AccessDeniedPath = "/Identity/Account/AccessDenied";
            options.Events.OnValidatePrincipal = Users.SessionCheck.ValidateAsync;
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = PortalCookies.Name(environment, "portal.antiforgery");
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = secure;
            options.Cookie.Path = "/";
        });
        services.Configure<CookieTempDataProviderOptions>(options =>
        {
            options.Cookie.Name = PortalCookies.Name(environment, "portal.tempdata");
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = secure;
            options.Cookie.Path = "/";
        });

        // Administrators see what Support sees; both sign in with two factors (Accounts:RequireTwoFactorForStaff).
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Partner, p => p.RequireRole(Roles.Partner).RequireClaim(PortalClaims.OrganisationId).AddRequirements(new Users.TwoFactorRequirement()))
            .AddPolicy(Policies.OrganisationAdministrator, p => p.RequireRole(Roles.Partner).RequireClaim(PortalClaims.OrganisationId).RequireClaim(PortalClaims.OrganisationAdministrator).AddRequirements(new Users.TwoFactorRequirement()))
            .AddPolicy(Policies.Support, p => p.RequireRole(Roles.Staff).AddRequirements(new Users.TwoFactorRequirement()))
            .AddPolicy(Policies.Administrator, p => p.RequireRole(Roles.Administrator).AddRequirements(new Users.TwoFactorRequirement()));
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, Users.TwoFactorHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, Users.TwoFactorRedirect>();

        return services;
    }

    /// <summary>The outbox, its sender, expiry, and the hosted service that runs them.</summary>
    public static IServiceCollection AddPortalBackground(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(WorkerIdentity.ForThisProcess());
        services.AddTransient<IMailTransport, SmtpMailTransport>();
        services.AddScoped<RequestMailer>();
        services.AddScoped<MailRenderer>();
        services.AddScoped<Outbox.OutboxSender>();
        services.AddScoped<Outbox.IOutboxChannel, MailChannel>();
        services.AddScoped<Background.RequestExpiry>();
        if (configuration.GetValue(BackgroundOptions.Section + ":" + nameof(BackgroundOptions.Enabled), true))
        {
            services.AddSingleton<Background.BackgroundWorker>();
            services.AddHostedService(sp => sp.GetRequiredService<Background.BackgroundWorker>());
        }

        return services;
    }

    /// <summary>Pages with their folder policies, rate limits and the error page.</summary>
    public static IServiceCollection AddPortalWeb(this IServiceCollection services)
    {
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = true;
        });
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Requests", Policies.Partner);
            options.Conventions.AuthorizeFolder("/Support", Policies.Support);
            options.Conventions.AuthorizeFolder("/Staff", Policies.Support);
            options.Conventions.AuthorizeFolder("/Admin", Policies.Administrator);
            options.Conventions.AuthorizeFolder("/Organisation", Policies.OrganisationAdministrator);
            options.Conventions.AllowAnonymousToFolder("/Activation");
            options.Conventions.AllowAnonymousToFolder("/Invitation");
            // A person's own account pages need them signed in. (Identity's standard pages, with
            // their self-registration, are not part of the portal: they answer 404.)
            options.Conventions.AuthorizeAreaFolder("Identity", "/Account/Manage");
            options.Conventions.ConfigureFilter(new UnhandledMethodFilter());
        })
        .AddMvcOptions(options =>
        {
            options.ModelBinderProviders.Insert(0, new CheckboxModelBinderProvider());
            Localization.LocalizationServices.LocalizeModelBinding(options);
        })
        .AddDataAnnotationsLocalization(options => options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(Localization.Texts)));

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    // Whole seconds, rounded up: never an invitation to come back too early.
                    context.HttpContext.Response.Headers.RetryAfter =
                        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                // The API answers with a problem document, pages with the error page.
                if (context.HttpContext.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
                {
                    return new ValueTask(Api.ApiProblems.Write(context.HttpContext, StatusCodes.Status429TooManyRequests, "Api.Problem.TooManyRequests"));
                }

                return ValueTask.CompletedTask;
            };

            // Only attempts (POSTs) count; showing the form is free.
            options.AddPolicy(RateLimitPolicies.SignIn, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? PerClientPerMinute(context, limits => limits.SignInPerMinute)
                    : RateLimitPartition.GetNoLimiter("read"));

            // Views and answers alike: the token space is not for guessing.
            options.AddPolicy(RateLimitPolicies.Activation, context => PerClientPerMinute(context, limits => limits.ActivationPerMinute));
        });
        return services;
    }

    /// <summary>A one-minute window per client address, its size read from <see cref="RateLimitOptions"/>.</summary>
    private static RateLimitPartition<string> PerClientPerMinute(HttpContext context, Func<RateLimitOptions, int> permits)
    {
        var services = context.RequestServices;
        var limit = permits(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>().Value);
        var clock = services.GetRequiredService<TimeProvider>();
        return RateLimitPartition.Get(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowLimiter(limit, TimeSpan.FromMinutes(1), clock));
    }

    /// <summary>A relative SQLite file is taken from the content root; its folder is created.</summary>
    internal static string SqliteConnectionString(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }

        return builder.ToString();
    }
}
