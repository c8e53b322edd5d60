using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Tests.Infrastructure;
using Xunit.Abstractions;

namespace SmartAccountPortal.Tests.Localization;

/// <summary>The three languages and the test culture that marks every translated text.</summary>
public sealed class PseudoLocaleFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Localization:Cultures:3", Texts.PseudoCulture)];
}

/// <summary>
/// Every page a person can reach, rendered in the test culture, in which each text from the
/// translation files stands between ⟦ and ⟧. Whatever a person reads outside the marks, other
/// than the data they entered (names, addresses, references), is a text written in code or in a
/// view: the test names it.
/// </summary>
public sealed partial class EveryTextTranslatedTests(PseudoLocaleFactory factory, ITestOutputHelper output) : IClassFixture<PseudoLocaleFactory>
{
    private readonly HashSet<string> data = new(StringComparer.Ordinal) { "Contoso Pharmaceuticals", "Northwind Partners", "Please accept this week.", "Welcome aboard." };

    private static async Task UsePseudoLocaleAsync(HttpClient client)
    {
        var page = await client.GetPageAsync("/");
        var form = page.Form("header form.language-switcher");
        var button = form.QuerySelectorAll("button").OfType<IHtmlButtonElement>().Single(b => b.Value == Texts.PseudoCulture);
        using var response = await client.SubmitAsync(form, button, new Dictionary<string, string> { ["culture"] = Texts.PseudoCulture });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    private async Task<HttpClient> SignedInAsync(string role)
    {
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        data.Add(email);
        await factory.CreateUserAsync(email, role);
        var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        await UsePseudoLocaleAsync(client);
        return client;
    }

    [Fact]
    public async Task EveryPage_InTheTestCulture_ShowsNoTextOutsideTheTranslations()
    {
        var problems = new List<string>();
        var partner = await SignedInAsync(Roles.Partner);
        var support = await SignedInAsync(Roles.Support);
        var anonymous = factory.CreatePortalClient();
        await UsePseudoLocaleAsync(anonymous);

        // Requests in several states, made by a colleague in English, with e-mails sent, so
        // history and mail tables have rows.
        var (colleague, colleagueEmail) = await factory.NewPartnerAsync();
        data.Add(colleagueEmail);
        var open = await factory.SubmitAsync(colleague, RequestSteps.NewDomain(), userEmails: "ann@example.com, bob@example.com");
        var cancelled = await factory.SubmitAsync(colleague, RequestSteps.NewDomain());
        await factory.SendMailAsync();
        using (var cancelPage = await colleague.GetAsync($"/Requests/{cancelled.Reference}/Cancel"))
        {
            using var _ = await colleague.SubmitAsync((await Html.ReadAsync(cancelPage)).Form("main form"), values: new Dictionary<string, string> { ["Input.Reason"] = "Customer asked us to wait." });
        }

        colleague.Dispose();

        data.UnionWith(["Customer asked us to wait.", "ann@example.com", "bob@example.com"]);
        foreach (var request in new[] { open, cancelled })
        {
            data.UnionWith([request.Reference, request.AccountDomain, request.CustomerEmail]);
        }

        await factory.SendMailAsync();

        // An e-mail's subject is shown as it was sent, in its reader's language: it is data here.
        data.UnionWith(await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.OutboxMessages.Select(m => m.Subject))));
        // Languages are named in their own language, never translated.
        data.Add(System.Globalization.CultureInfo.GetCultureInfo(Texts.PseudoCulture).NativeName);
        data.UnionWith(Texts.Languages.Select(Texts.NativeName));

        // So are time zones: by their ids.
        data.UnionWith(SmartAccountPortal.Infrastructure.ReaderTimeZone.Choices().Select(SmartAccountPortal.Infrastructure.ReaderTimeZone.Label));
        var mail = factory.MailTo(open.CustomerEmail).First(m => m.To.Contains(open.CustomerEmail, StringComparison.Ordinal));
        var activation = new Uri(mail.Text!.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/Activation/", StringComparison.Ordinal))).AbsolutePath;
        var cancelledMail = factory.MailTo(cancelled.CustomerEmail).First(m => m.Text!.Contains("/Activation/", StringComparison.Ordinal));
        var cancelledLink = new Uri(cancelledMail.Text!.Split('\n').Select(l => l.Trim()).First(l => l.Contains("/Activation/", StringComparison.Ordinal))).AbsolutePath;

        string[] anonymousPages =
        [
            "/", "/Language", "/Identity/Account/Login", "/Identity/Account/ForgotPassword", "/Identity/Account/ForgotPasswordConfirmation",
            "/Identity/Account/ResetPassword?code=" + Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode("code"u8.ToArray()),
            "/Identity/Account/ResetPassword?code=%25%25", "/Identity/Account/ResetPasswordConfirmation", "/Identity/Account/Lockout",
            "/Identity/Account/Logout", "/Identity/Account/AccessDenied", "/no-such-page", activation, cancelledLink, "/Activation/" + new string('A', 43),
        ];
        string[] partnerPages =
        [
            "/", "/Requests/New", "/Requests/New?from=" + cancelled.Reference, "/Requests", "/Requests?state=Pending", $"/Requests/{open.Reference}",
            $"/Requests/{cancelled.Reference}", $"/Requests/{open.Reference}/Cancel", $"/Requests/Complete/{open.Reference}", "/Identity/Account/Logout",
            "/Identity/Account/Manage", "/Identity/Account/Manage/ChangePassword", "/Identity/Account/Manage/TwoFactorAuthentication",
            "/Identity/Account/Manage/EnableAuthenticator", "/Identity/Account/Manage/ResetAuthenticator",
        ];
        string[] supportPages = ["/", "/Support", "/Support?q=contoso&state=Pending&sort=expires", $"/Support/Requests/{open.Reference}", $"/Support/Requests/{cancelled.Reference}", $"/Support/Requests/{open.Reference}/Cancel"];

        foreach (var (client, pages) in new[] { (anonymous, anonymousPages), (partner, partnerPages), (support, supportPages) })
        {
            foreach (var path in pages)
            {
                using var response = await client.GetAsync(path);
                Check(path, await Html.ReadAsync(response), problems);
            }
        }

        // Pages that only a post shows: a failed sign-in, the request form with every error, the review dialog, a refused cancel.
        using (var login = await anonymous.SubmitAsync((await anonymous.GetPageAsync("/Identity/Account/Login")).Form("main form"), values: new Dictionary<string, string>
        {
            ["Input.Email"] = "nobody@example.com",
            ["Input.Password"] = "not the password",
        }))
        {
            Check("sign-in failed", await Html.ReadAsync(login), problems);
        }

        var form = (await partner.GetPageAsync("/Requests/New")).Form("#request-form");
        using (var invalid = await partner.SubmitAsync(form, form.Button(Texts.PseudoStart + "Submit Request" + Texts.PseudoEnd), new Dictionary<string, string>
        {
            ["Input.CustomerEmail"] = "not-an-address",
            ["Input.AccountDomain"] = "bad domain",
            ["Input.UserEmails"] = "x@, y@",
            ["Input.NoteToCustomer"] = new string('n', 1001),
        }))
        {
            data.UnionWith(["x@", "y@", "not-an-address", "bad domain"]);
            Check("request form with errors", await Html.ReadAsync(invalid), problems);
        }

        var domain = RequestSteps.NewDomain();
        data.UnionWith([domain, $"it.lead@{domain}"]);
        using (var review = await partner.SubmitAsync(form, form.Button(Texts.PseudoStart + "Submit Request" + Texts.PseudoEnd), new Dictionary<string, string>
        {
            ["Input.AccountName"] = "Contoso Pharmaceuticals",
            ["Input.CustomerEmail"] = $"it.lead@{domain}",
            ["Input.AccountDomain"] = domain,
        }))
        {
            Check("review dialog", await partner.ReadFollowingAsync(review), problems);
        }

        using (var taken = await partner.SubmitAsync(form, form.Button(Texts.PseudoStart + "Submit Request" + Texts.PseudoEnd), new Dictionary<string, string>
        {
            ["Input.AccountName"] = "Contoso Pharmaceuticals",
            ["Input.CustomerEmail"] = open.CustomerEmail,
            ["Input.AccountDomain"] = open.AccountDomain,
        }))
        {
            Check("domain taken", await Html.ReadAsync(taken), problems);
        }

        var activationPage = await anonymous.GetPageAsync(activation);
        var declineForm = activationPage.QuerySelectorAll("main form").Cast<IHtmlFormElement>().Last();
        using (var confirmDecline = await anonymous.SubmitAsync(declineForm, (IHtmlButtonElement)declineForm.QuerySelector("button")!, new Dictionary<string, string> { ["Decline.Reason"] = "Not now." }))
        {
            data.Add("Not now.");
            Check("confirm decline", await Html.ReadAsync(confirmDecline), problems);
        }

        using (var csv = await support.GetAsync("/Support?handler=Export&q=" + Uri.EscapeDataString(open.Reference)))
        {
            var header = (await csv.Content.ReadAsStringAsync()).Split("\r\n")[0].TrimStart('\uFEFF');
            Assert.All(header.Split(','), column => Assert.StartsWith(Texts.PseudoStart, column.Trim('"'), StringComparison.Ordinal));
        }

        foreach (var client in new[] { anonymous, partner, support })
        {
            client.Dispose();
        }

        output.WriteLine(string.Join("\n", problems));
        Assert.True(problems.Count == 0, "Text outside the translations:\n" + string.Join("\n", problems.Distinct()));
    }

    /// <summary>Every text a person reads on the page (text, labels for assistive technology, titles), outside the marks and the data.</summary>
    private void Check(string page, IHtmlDocument document, List<string> problems)
    {
        var text = new StringBuilder(document.Title).Append('\n');
        Collect(document.Body!, text);
        foreach (var element in document.QuerySelectorAll("[aria-label], [title], [placeholder], [alt]"))
        {
            foreach (var attribute in new[] { "aria-label", "title", "placeholder", "alt" })
            {
                if (element.GetAttribute(attribute) is { } value && element.Closest(".language-switcher") is null)
                {
                    text.Append('\n').Append(value);
                }
            }
        }

        var outside = RemoveMarked(text.ToString());
        foreach (var item in data.OrderByDescending(d => d.Length))
        {
            outside = outside.Replace(item, " ", StringComparison.Ordinal);
        }

        foreach (Match word in Word().Matches(outside))
        {
            var at = outside.IndexOf(word.Value, StringComparison.Ordinal);
            var context = outside.Substring(Math.Max(0, at - 30), Math.Min(outside.Length - Math.Max(0, at - 30), 70)).ReplaceLineEndings(" ");
            problems.Add($"{page}: \"{word.Value}\" in \"{context.Trim()}\"");
        }
    }

    private static void Collect(INode node, StringBuilder text)
    {
        foreach (var child in node.ChildNodes)
        {
            switch (child)
            {
                case IText t:
                    text.Append(t.Data).Append(' ');
                    break;
                case IElement e when e.LocalName is "script" or "style" or "code" or "time" or "textarea" || e.ClassList.Contains("language-switcher"):
                    break;
                case IElement e:
                    Collect(e, text.Append(e.LocalName is "p" or "li" or "td" or "th" or "dd" or "dt" or "h1" or "h2" or "h3" or "div" or "label" or "option" ? "\n" : ""));
                    break;
            }
        }
    }

    /// <summary>The text with every marked span (nested ones included) taken out.</summary>
    internal static string RemoveMarked(string text)
    {
        var kept = new StringBuilder();
        var depth = 0;
        foreach (var c in text)
        {
            if (c == Texts.PseudoStart[0])
            {
                depth++;
            }
            else if (c == Texts.PseudoEnd[0])
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    [GeneratedRegex(@"\p{L}{2,}")]
    internal static partial Regex Word();
}

/// <summary>Every kind of e-mail, written in the marking test culture: no word outside the translations but the data.</summary>
public sealed partial class EveryEmailTranslatedTests(PseudoLocaleFactory factory) : IClassFixture<PseudoLocaleFactory>
{
    private readonly HashSet<string> data = new(StringComparer.Ordinal) { "Contoso Pharmaceuticals", "Northwind Partners", "Please accept this week.", "Welcome aboard." };

    [Fact]
    public async Task EveryEmailKind_InTheTestCulture_HasNoTextOutsideTheTranslations()
    {
        var partnerEmail = $"partner-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(partnerEmail);
        var culture = System.Globalization.CultureInfo.GetCultureInfo(Texts.PseudoCulture);
        var request = await factory.WriteEveryKindAsync(partnerEmail, Texts.PseudoCulture);
        data.UnionWith([request.Reference, request.AccountDomain, request.CustomerEmail, .. request.UserEmails, partnerEmail, EveryMail.CancelReason, EveryMail.DeclineReason, EveryMail.WebhookError, "Smart Account Portal", "Example Software"]);
        using (SmartAccountPortal.Infrastructure.ReaderTimeZone.Use(TimeZoneInfo.Utc, culture))
        {
            data.UnionWith([SmartAccountPortal.Infrastructure.Display.Date(request.ExpiresAt), SmartAccountPortal.Infrastructure.Display.Date(request.SubmittedAt)]);
        }

        var messages = await factory.OfAsync(request, partnerEmail);
        Assert.Equal(
            Enum.GetValues<SmartAccountPortal.Mail.MailKind>().OrderBy(k => k),
            messages.Select(m => m.Kind).Distinct().OrderBy(k => k));
        var problems = new List<string>();
        foreach (var message in messages)
        {
            // Both parts: the HTML also has what the plain text leaves out (the button, the link hint, the heading).
            var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(message.HtmlBody);
            var text = EveryTextTranslatedTests.RemoveMarked(message.Subject + "\n" + message.TextBody + "\n" + html.Title + "\n" + html.Body!.TextContent)
                .Replace(SmartAccountPortal.Mail.OutboxMessage.LinkPlaceholder, " ", StringComparison.Ordinal);
            text = Url().Replace(text, " ");
            foreach (var item in data.OrderByDescending(d => d.Length))
            {
                text = text.Replace(item, " ", StringComparison.Ordinal);
            }

            problems.AddRange(EveryTextTranslatedTests.Word().Matches(text).Select(w => $"{message.Kind}: \"{w.Value}\""));
            Assert.Equal(Texts.PseudoCulture, message.Language);
        }

        Assert.True(problems.Count == 0, "Text outside the translations in e-mails:\n" + string.Join("\n", problems.Distinct()));
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Url();
}
