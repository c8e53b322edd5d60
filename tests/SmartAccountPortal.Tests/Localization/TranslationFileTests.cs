using System.Text.RegularExpressions;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Tests.Localization;

/// <summary>The translation files: every language has every key, with text, and the same placeholders.</summary>
public sealed partial class TranslationFileTests
{
    public static TheoryData<string> Languages => new(Texts.Languages.Where(c => c != Texts.DefaultCulture));

    [Fact]
    public void TheThreeLanguages_HaveTheirFiles() =>
        Assert.Equal(["en", "it", "nl"], Texts.Languages);

    [Theory]
    [MemberData(nameof(Languages))]
    public void EveryKey_ExistsWithTextAndTheSamePlaceholders(string culture)
    {
        var english = Texts.All(Texts.DefaultCulture);
        var translated = Texts.All(culture);

        Assert.Empty(english.Keys.Except(translated.Keys));
        Assert.Empty(translated.Keys.Except(english.Keys));
        foreach (var (key, text) in translated)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"{culture}: {key} is empty.");
            Assert.True(Placeholders(english[key]).SetEquals(Placeholders(text)), $"{culture}: {key} has other placeholders than English.");
        }
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public void Translations_AreNotLeftInEnglish(string culture)
    {
        var english = Texts.All(Texts.DefaultCulture);
        var same = Texts.All(culture).Where(t => t.Value == english[t.Key] && !SameInEveryLanguage.Contains(t.Key)).Select(t => t.Key).ToList();
        Assert.True(same.Count == 0, $"{culture} keeps the English text of: {string.Join(", ", same)}");
    }

    /// <summary>Names and words that are the same in every language (product names, the vendor's own option names).</summary>
    private static readonly HashSet<string> SameInEveryLanguage =
    [
        "Product.SmartAccount", "Support.SoftwareLicensing", "Home.SmartLicensing", "Home.PartnersHeading", "Home.Title",
        "Field.Password", "Field.Email", "Account.SignedOut.Home", "List.Partner", "DevMail.MessageId", "Details.Email", "Details.Emails", "Role.Partner",
        "Csv.InZone", "Csv.Iso", "Api.Problem.Refused.Detail", "Webhooks.Title", "Nav.Webhooks", "ApiRef.Webhooks",
    ];

    private static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Value).ToHashSet();

    [GeneratedRegex(@"\{\d+(:[^}]*)?\}")]
    private static partial Regex Placeholder();
}
