using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Pages.Activation;

/// <summary>The customer's side: the link from the e-mail, GET shows, POST answers.</summary>
public sealed class ActivationTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private async Task<(AccountRequest Request, string Link, string Partner)> SubmittedAsync(string users = "")
    {
        var (client, partner) = await factory.NewPartnerAsync();
        using (client)
        {
            var domain = RequestSteps.NewDomain();
            var request = await factory.SubmitAsync(client, domain, users);
            await factory.SendMailAsync();
            return (request, LinkFor($"it.lead@{domain}"), partner);
        }
    }


    private string LinkFor(string customer)
    {
        var mail = Assert.Single(factory.MailTo(customer), m => m.Subject.StartsWith("Activate", StringComparison.Ordinal));
        var link = new Uri(MailText.Link(mail.Text, "https://portal.test/Activation/"));
        return link.AbsolutePath;
    }

    private Task<AccountRequest> ReloadAsync(int id) =>
        factory.WithDbAsync(db => db.Requests.AsNoTracking().Include(r => r.Events).SingleAsync(r => r.Id == id));

    private static async Task<HttpResponseMessage> AnswerAsync(HttpClient customer, string link, string button, string? reason = null)
    {
        var page = await customer.GetPageAsync(link);
        var form = page.FormWith(button);
        var response = await customer.SubmitAsync(form, form.Button(button), reason is null ? null : new Dictionary<string, string> { ["Decline.Reason"] = reason });
        if (button != "Decline" || response.StatusCode != HttpStatusCode.OK || (await Html.ReadAsync(response)).QuerySelector("main form button")?.TextContent != "Yes, decline")
        {
            return response;
        }

        // Declining asks once more before it is final.
        var confirm = (await Html.ReadAsync(response)).Form("main form");
        response.Dispose();
        return await customer.SubmitAsync(confirm, confirm.Button("Yes, decline"));
    }

    [Fact]
    public async Task Get_ShowsTheRequestAndTwoButtons_AndNeitherGetNorHeadConsumesAnything()
    {
        var (request, link, _) = await SubmittedAsync();
        using var customer = factory.CreatePortalClient();

        using var head = await customer.SendAsync(new HttpRequestMessage(HttpMethod.Head, link));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        using var response = await customer.GetAsync(link);
        using var again = await customer.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var page = await Html.ReadAsync(response);
        Assert.Equal("Activate your company's Smart Account", page.QuerySelector("h1")!.TextContent);
        var details = page.QuerySelectorAll("dt").Zip(page.QuerySelectorAll("dd")).ToDictionary(p => p.First.TextContent, p => p.Second.TextContent.Trim());
        Assert.Equal("Contoso Pharmaceuticals", details["Account Name"]);
        Assert.Equal(request.AccountDomain, details["Account Domain"]);
        Assert.Equal("Northwind Partners", details["Requested by"]);
        Assert.Equal("Please accept this week.", details["Note from Northwind Partners"]);
        Assert.Equal(SmartAccountPortal.Infrastructure.Display.Date(request.ExpiresAt), details["Open until"]);
        Assert.Contains("you confirm that you are authorised to create this Smart Account for your company", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Activate Smart Account", "Decline"], page.QuerySelectorAll("main button").Select(b => b.TextContent));
        Assert.NotNull(page.QuerySelector("label[for=Decline_Reason]"));

        var after = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.Pending, after.Status);
        Assert.Equal(request.Version, after.Version);
        Assert.Single(after.Events, e => e.Kind == RequestEventKind.Submitted);
    }

    [Fact]
    public async Task Activate_MakesItActive_TellsThePartnerAndEachAddedUser_ThenTheLinkSaysItWasUsed()
    {
        var (request, link, partner) = await SubmittedAsync($"ann@{"x"}.example bob@y.example");
        using var customer = factory.CreatePortalClient();

        using var answer = await AnswerAsync(customer, link, "Activate Smart Account");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal(link, answer.Headers.Location!.OriginalString);

        var done = await customer.GetPageAsync(link);
        Assert.Equal("Smart Account activated", done.QuerySelector("h1")!.TextContent);
        Assert.Empty(done.QuerySelectorAll("main button"));

        var activated = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.Active, activated.Status);
        var activation = Assert.Single(activated.Events, e => e.Kind == RequestEventKind.Activated);
        Assert.Equal(request.CustomerEmail, activation.Actor);

        await factory.SendMailAsync();
        var confirmation = Assert.Single(factory.MailTo(partner));
        Assert.Contains("activated", confirmation.Subject, StringComparison.Ordinal);
        foreach (var user in new[] { "ann@x.example", "bob@y.example" })
        {
            var notice = Assert.Single(factory.MailTo(user));
            Assert.Contains("Welcome aboard.", notice.Text, StringComparison.Ordinal);
            Assert.Contains("Northwind Partners added " + user, notice.Text, StringComparison.Ordinal);
        }

        var used = await customer.GetPageAsync(link);
        Assert.Equal("This Smart Account is already activated", used.QuerySelector("h1")!.TextContent);
        Assert.Empty(used.QuerySelectorAll("main button"));

        // Answering again changes nothing.
        using var twice = await customer.PostAsync(link + "?handler=Activate", new FormUrlEncodedContent([]));
        Assert.Equal(1, (await ReloadAsync(request.Id)).Events.Count(e => e.Kind == RequestEventKind.Activated));
    }

    [Fact]
    public async Task Decline_WithAReason_TellsThePartnerWhy()
    {
        var (request, link, partner) = await SubmittedAsync();
        using var customer = factory.CreatePortalClient();

        using var answer = await AnswerAsync(customer, link, "Decline", "We already have a Smart Account.");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("Request declined", (await customer.GetPageAsync(link)).QuerySelector("h1")!.TextContent);

        var declined = await ReloadAsync(request.Id);
        Assert.Equal(RequestStatus.Declined, declined.Status);
        Assert.Equal("We already have a Smart Account.", declined.Events.Single(e => e.Kind == RequestEventKind.Declined).Detail);

        await factory.SendMailAsync();
        var notice = Assert.Single(factory.MailTo(partner));
        Assert.Contains("declined", notice.Subject, StringComparison.Ordinal);
        Assert.Contains("We already have a Smart Account.", notice.Text, StringComparison.Ordinal);

        var used = await customer.GetPageAsync(link);
        Assert.Equal("This request was declined", used.QuerySelector("h1")!.TextContent);
        Assert.Empty(used.QuerySelectorAll("main button"));
    }

    [Fact]
    public async Task Decline_AsksToConfirm_AndChangesNothingUntilConfirmed()
    {
        var (request, link, _) = await SubmittedAsync();
        using var customer = factory.CreatePortalClient();
        var page = await customer.GetPageAsync(link);
        var form = page.FormWith("Decline");

        using var asked = await customer.SubmitAsync(form, form.Button("Decline"), new Dictionary<string, string> { ["Decline.Reason"] = "Not now." });

        Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
        var confirm = await Html.ReadAsync(asked);
        Assert.Equal("Decline this Smart Account?", confirm.QuerySelector("h1")!.TextContent);
        Assert.Equal("Not now.", confirm.QuerySelector("blockquote")!.TextContent);
        Assert.Equal(link, confirm.QuerySelectorAll("main a").Single(a => a.TextContent == "No, go back").GetAttribute("href"));
        Assert.Equal(RequestStatus.Pending, (await ReloadAsync(request.Id)).Status);
    }

    [Fact]
    public async Task Activate_SaysWhatHappensNext_AndWhereTheAccountIsManaged()
    {
        var (_, link, _) = await SubmittedAsync("ann@example.com, bob@example.com");
        using var customer = factory.CreatePortalClient();

        using var answer = await AnswerAsync(customer, link, "Activate Smart Account");
        var page = await customer.GetPageAsync(link);

        Assert.Equal("Smart Account activated", page.QuerySelector("h1")!.TextContent);
        var next = page.QuerySelectorAll("main li").Select(li => li.TextContent).ToList();
        Assert.Contains(next, n => n.Contains("ann@example.com, bob@example.com", StringComparison.Ordinal));
        Assert.Contains(page.QuerySelectorAll("main a"), a => a.GetAttribute("href") == "https://software.example.com/smart-accounts");
    }

    [Fact]
    public async Task Decline_ReasonTooLong_IsShownNextToTheFieldAndNothingChanges()
    {
        var (request, link, _) = await SubmittedAsync();
        using var customer = factory.CreatePortalClient();

        using var answer = await AnswerAsync(customer, link, "Decline", new string('r', 1001));

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var page = await Html.ReadAsync(answer);
        Assert.Equal("true", page.GetElementById("Decline_Reason")!.GetAttribute("aria-invalid"));
        Assert.Equal("The reason can be at most 1,000 characters.", page.GetElementById("Decline_Reason-error")!.TextContent);
        Assert.Equal(RequestStatus.Pending, (await ReloadAsync(request.Id)).Status);
    }

    [Fact]
    public async Task PastItsExpiry_TheLinkSaysExpired_AndCannotActivate_EvenBeforeTheServiceMarksIt()
    {
        var (request, link, _) = await SubmittedAsync();
        using var customer = factory.CreatePortalClient();
        var page = await customer.GetPageAsync(link);
        var activate = page.QuerySelectorAll("main form").Cast<IHtmlFormElement>().First();

        factory.Clock.Set(request.ExpiresAt);
        using var late = await customer.SubmitAsync(activate, activate.Button("Activate Smart Account"));

        var expired = await customer.GetPageAsync(link);
        Assert.Equal("This request has expired", expired.QuerySelector("h1")!.TextContent);
        Assert.Contains("Northwind Partners can request a new Smart Account", expired.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(expired.QuerySelectorAll("main button"));
        Assert.Equal(RequestStatus.Pending, (await ReloadAsync(request.Id)).Status);
    }

    [Fact]
    public async Task CancelledRequest_TheLinkSaysCancelled()
    {
        var (request, link, partner) = await SubmittedAsync();
        await factory.WithDbAsync(async db =>
        {
            var tracked = await db.Requests.SingleAsync(r => r.Id == request.Id);
            tracked.Cancel(partner, factory.Clock.GetUtcNow().UtcDateTime, null);
            return await db.SaveChangesAsync();
        });
        using var customer = factory.CreatePortalClient();

        var page = await customer.GetPageAsync(link);

        Assert.Equal("This request was cancelled", page.QuerySelector("h1")!.TextContent);
        Assert.Empty(page.QuerySelectorAll("main button"));
    }

    [Theory]
    [InlineData("/Activation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/Activation/short")]
    [InlineData("/Activation/has%20spaces%20and%20is%20forty-three%20characters%20long")]
    public async Task UnknownLink_Answers404WithThePortalsLook(string path)
    {
        using var customer = factory.CreatePortalClient();
        using var response = await customer.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await Html.ReadAsync(response);
        Assert.Equal("This activation link is not valid", page.QuerySelector("h1")!.TextContent);
        Assert.NotNull(page.QuerySelector("header.site-header"));
        Assert.Empty(page.QuerySelectorAll("main button"));
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task TwoAnswersAtOnce_OneWins_TheOtherSeesTheResult()
    {
        var (request, link, partner) = await SubmittedAsync();
        using var first = factory.CreatePortalClient();
        using var second = factory.CreatePortalClient();
        var firstForm = (await first.GetPageAsync(link)).QuerySelectorAll("main form").Cast<IHtmlFormElement>().First();
        var secondForm = (await second.GetPageAsync(link)).QuerySelectorAll("main form").Cast<IHtmlFormElement>().Last();

        using var asked = await second.SubmitAsync(secondForm, secondForm.Button("Decline"));
        var confirmForm = (await Html.ReadAsync(asked)).Form("main form");
        var responses = await Task.WhenAll(
            first.SubmitAsync(firstForm, firstForm.Button("Activate Smart Account")),
            second.SubmitAsync(confirmForm, confirmForm.Button("Yes, decline")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var after = await ReloadAsync(request.Id);
        Assert.Contains(after.Status, new[] { RequestStatus.Active, RequestStatus.Declined });
        Assert.Single(after.Events, e => e.Kind is RequestEventKind.Activated or RequestEventKind.Declined);
        await factory.SendMailAsync();
        Assert.Single(factory.MailTo(partner));

        var pages = await Task.WhenAll(first.GetPageAsync(link), second.GetPageAsync(link));
        Assert.All(pages, p => Assert.Empty(p.QuerySelectorAll("main button")));
    }

    [Fact]
    public async Task TheToken_NeverReachesTheLog()
    {
        var (_, link, _) = await SubmittedAsync();
        var token = link.Split('/')[^1];
        using var customer = factory.CreatePortalClient();

        using var answer = await AnswerAsync(customer, link, "Activate Smart Account");
        await customer.GetPageAsync(link);
        await customer.GetAsync("/Activation/" + token[..^1] + "x");

        Assert.Contains(factory.Logs.Lines, l => l.Contains("/Activation/{token}", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains(token[..^1], StringComparison.Ordinal));
    }
}

/// <summary>A portal whose activation page allows three requests a minute.</summary>
public sealed class ActivationRateLimitFactory : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("RateLimits:ActivationPerMinute", "3")];
}

public sealed class ActivationRateLimitTests(ActivationRateLimitFactory factory) : IClassFixture<ActivationRateLimitFactory>
{
    [Fact]
    public async Task ManyRequestsFromOneAddress_Answer429WithRetryAfter()
    {
        using var client = factory.CreatePortalClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 4; i++)
        {
            last?.Dispose();
            last = await client.GetAsync("/Activation/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(last!.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        last.Dispose();
    }
}
