using System.Globalization;
using Microsoft.Extensions.Localization;

namespace SmartAccountPortal.Localization;

/// <summary>The portal's texts as ASP.NET Core's localizer, for views, data annotations and model binding.</summary>
internal sealed class TextLocalizer : IStringLocalizer
{
    public LocalizedString this[string name] =>
        Texts.Find(name, CultureInfo.CurrentUICulture) is { } text ? new LocalizedString(name, text) : new LocalizedString(name, name, resourceNotFound: true);

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var text = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text.Value, arguments), text.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        Texts.All(Texts.DefaultCulture).Keys.Select(key => this[key]);
}

/// <summary>One set of texts for the whole portal, whatever type or resource name asks for it.</summary>
internal sealed class TextLocalizerFactory : IStringLocalizerFactory
{
    private static readonly TextLocalizer Localizer = new();

    public IStringLocalizer Create(Type resourceSource) => Localizer;

    public IStringLocalizer Create(string baseName, string location) => Localizer;
}
