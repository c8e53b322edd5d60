using AngleSharp.Html.Dom;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Mail;

/// <summary>E-mails in their reader's language, through a real SMTP server: the customer's for the customer and the added users, the partner's own for the partner.</summary>
public sealed class MailLanguageTests(MailFixture fixture) : IClassFixture<MailFixture>
{
    private SmtpPortalFactory Portal => fixture.Portal;

    private static async Task SwitchAsync(HttpClient client, string language)
    {
        var page = await client.GetPageAsync("/");
        var form = page.Form("header form.language-switcher");
        (await client.SubmitAsync(form, form.QuerySelectorAll("button").OfType<IHtmlButtonElement>().Single(b => b.Value == language), new Dictionary<string, string> { ["culture"] = language })).Dispose();
    }

    [Fact]
    public async Task ItalianCustomer_DutchPartner_EachReadsTheirOwnLanguage()
    {
        var (client, partner) = await Portal.NewPartnerAsync();
        using (client)
        {
            await SwitchAsync(client, "nl");
            var domain = $"c{Guid.NewGuid():N}"[..16] + ".it";
            var form = (await client.GetPageAsync("/Requests/New")).Form("#request-form");
            using var review = await client.SubmitAsync(form, (IHtmlButtonElement)form.QuerySelector("button[type=submit]")!, new Dictionary<string, string>
            {
                ["Input.AccountName"] = "Società Meccanica",
                ["Input.CustomerEmail"] = $"it.lead@{domain}",
                ["Input.AccountDomain"] = domain,
                ["Input.UserEmails"] = $"anna@{domain}, bruno@{domain}",
            });
            var dialog = (await client.ReadFollowingAsync(review)).Form("[role=dialog] form");
            (await client.SubmitAsync(dialog, (IHtmlButtonElement)dialog.QuerySelector("button")!)).Dispose();
            await Portal.SendMailAsync();

            var activation = Assert.Single(await fixture.MailDev.MessagesToAsync($"it.lead@{domain}"));
            Assert.Equal($"Attiva lo Smart Account della tua azienda per {domain}", activation.Subject);
            Assert.Equal("it", activation.Header("content-language"));
            Assert.Contains($"Queste persone avranno accesso allo Smart Account:\n\n- anna@{domain}\n- bruno@{domain}\n", activation.Text, StringComparison.Ordinal);
            Assert.Contains("apri questo link entro il", activation.Text, StringComparison.Ordinal);
            Assert.Contains("lang=\"it\"", activation.Html, StringComparison.Ordinal);
            Assert.StartsWith("Buongiorno,", activation.Text, StringComparison.Ordinal);

            // The HTML: its title, who writes, one button for the action, and the full link written out as well.
            var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(activation.Html!);
            Assert.Equal(activation.Subject, html.Title);
            Assert.Contains("Smart Account Portal · Example Software", html.Body!.TextContent, StringComparison.Ordinal);
            var actionLinks = html.QuerySelectorAll("a").Where(a => a.GetAttribute("href")!.Contains("/Activation/", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, actionLinks.Count);
            Assert.Equal("Attiva Smart Account", actionLinks[0].TextContent.Trim());
            Assert.Equal(actionLinks[0].GetAttribute("href"), actionLinks[1].TextContent.Trim());
            Assert.Empty(html.QuerySelectorAll("img"));

            // The customer activates from the link; the partner hears in Dutch, the added users in Italian.
            var link = new Uri(MailText.Link(activation.Text, "/Activation/")).AbsolutePath;
            using var customer = Portal.CreatePortalClient();
            var page = await customer.GetPageAsync(link);
            Assert.Equal("it", page.DocumentElement.GetAttribute("lang"));
            var activate = page.QuerySelectorAll("main form").Cast<IHtmlFormElement>().First();
            (await customer.SubmitAsync(activate, (IHtmlButtonElement)activate.QuerySelector("button")!)).Dispose();
            await Portal.SendMailAsync();

            var confirmation = Assert.Single(await fixture.MailDev.MessagesToAsync(partner));
            Assert.Equal("Smart Account Società Meccanica geactiveerd door de klant", confirmation.Subject);
            Assert.Equal("nl", confirmation.Header("content-language"));
            Assert.Contains("De aanvraag in het portaal: https://portal.test/Requests/SA-", confirmation.Text, StringComparison.Ordinal);
            var access = Assert.Single(await fixture.MailDev.MessagesToAsync($"anna@{domain}"));
            Assert.Equal("Hai accesso allo Smart Account Società Meccanica", access.Subject);
        }
    }
}
