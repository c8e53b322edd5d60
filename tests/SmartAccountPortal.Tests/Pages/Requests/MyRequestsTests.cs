using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;
using static SmartAccountPortal.Tests.Infrastructure.Lists;

namespace SmartAccountPortal.Tests.Pages.Requests;

/// <summary>My Requests, a request's page, and the partner's actions on it.</summary>
public sealed class MyRequestsTests(PortalFactory factory) : IClassFixture<PortalFactory>
{
    private static string NewOrganisation() => $"Org {Guid.NewGuid():N}";

    private string ActivationPath(string customer) =>
        new Uri(MailText.Link(factory.MailTo(customer).Last(m => m.Subject.StartsWith("Activate", StringComparison.Ordinal)).Text, "/Activation/")).AbsolutePath;

    [Fact]
    public async Task List_ShowsTheOrganisationsRequestsNewestFirst_AndNoOneElses()
    {
        var organisation = NewOrganisation();
        var (client, partner) = await factory.NewPartnerAsync(organisation);
        var (colleague, colleagueEmail) = await factory.NewPartnerAsync(organisation);
        var (stranger, strangerEmail) = await factory.NewPartnerAsync(NewOrganisation());
        var mine = await factory.SeedRequestsAsync(partner, 2);
        var theirs = await factory.SeedRequestsAsync(colleagueEmail, 1);
        var other = await factory.SeedRequestsAsync(strangerEmail, 1);

        var page = await client.GetPageAsync("/Requests");

        Assert.Equal([theirs[0].Reference, mine[1].Reference, mine[0].Reference], References(page));
        Assert.Equal("3 requests", page.QuerySelector(".count")!.TextContent.Trim());
        Assert.Equal(
            ["Reference", "Account Name", "Domain", "Customer", "State", "Submitted", "Expires or closed"],
            page.QuerySelectorAll("thead th").Select(th => th.TextContent));
        var first = page.QuerySelectorAll("tbody tr")[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal([theirs[0].Reference, theirs[0].AccountName, theirs[0].AccountDomain, theirs[0].CustomerEmail, "Pending"], first.Take(5));
        Assert.Equal("Expires " + SmartAccountPortal.Infrastructure.Display.Date(theirs[0].ExpiresAt), first[6]);
        Assert.Contains(page.QuerySelectorAll("nav a"), a => a.TextContent == "My Requests");
        colleague.Dispose();
        stranger.Dispose();
        client.Dispose();
    }

    [Fact]
    public async Task List_FilteredByState_ShowsOnlyThatState_WithWhenItClosed()
    {
        var (client, partner) = await factory.NewPartnerAsync(NewOrganisation());
        var requests = await factory.SeedRequestsAsync(partner, 3);
        await factory.WithDbAsync(async db =>
        {
            var tracked = await db.Requests.SingleAsync(r => r.Id == requests[1].Id);
            tracked.Activate(factory.Clock.GetUtcNow().UtcDateTime);
            return await db.SaveChangesAsync();
        });

        var active = await client.GetPageAsync("/Requests?state=Active");
        var pending = await client.GetPageAsync("/Requests?state=Pending");

        Assert.Equal([requests[1].Reference], References(active));
        Assert.Equal("1 request Active", active.QuerySelector(".count")!.TextContent.Trim());
        Assert.StartsWith("Active ", active.QuerySelectorAll("tbody tr td")[6].TextContent, StringComparison.Ordinal);
        Assert.Equal([requests[2].Reference, requests[0].Reference], References(pending));
        Assert.Equal("selected", active.QuerySelector("#state option[value=Active]")!.GetAttribute("selected"));
    }

    [Fact]
    public async Task List_LongerThan25_IsPaged()
    {
        var (client, partner) = await factory.NewPartnerAsync(NewOrganisation());
        var requests = await factory.SeedRequestsAsync(partner, 30);

        var first = await client.GetPageAsync("/Requests");
        Assert.Equal(25, References(first).Count);
        Assert.Equal(requests[29].Reference, References(first)[0]);
        Assert.Equal("30 requests", first.QuerySelector(".count")!.TextContent.Trim());
        Assert.Equal("Page 1 of 2", first.QuerySelector(".pager span")!.TextContent);

        var next = first.QuerySelector("a[rel=next]")!.GetAttribute("href")!;
        var second = await client.GetPageAsync(next);
        Assert.Equal(requests.Take(5).Select(r => r.Reference).Reverse(), References(second));
        Assert.Null(second.QuerySelector("a[rel=next]"));
        Assert.NotNull(second.QuerySelector("a[rel=prev]"));
    }

    [Fact]
    public async Task Details_ShowsEveryFieldTheHistoryAndTheEmails()
    {
        var (client, partner) = await factory.NewPartnerAsync(NewOrganisation());
        var domain = RequestSteps.NewDomain();
        var request = await factory.SubmitAsync(client, domain, $"ann@{domain}");
        await factory.SendMailAsync();

        var page = await client.GetPageAsync("/Requests/" + request.Reference);

        var details = page.QuerySelectorAll("dl.details dt").Zip(page.QuerySelectorAll("dl.details dd")).ToDictionary(p => p.First.TextContent, p => p.Second.TextContent.Trim());
        Assert.Equal(request.Reference, details["Reference"]);
        Assert.StartsWith("Pending", details["State"], StringComparison.Ordinal);
        Assert.Equal("Contoso Pharmaceuticals", details["Account Name"]);
        Assert.Equal($"it.lead@{domain}", details["Customer Email"]);
        Assert.Equal(domain, details["Account Domain"]);
        Assert.Equal("Please accept this week.", details["Note to Customer"]);
        Assert.Equal($"ann@{domain}", details["User Emails"]);
        Assert.Equal("Welcome aboard.", details["Note to Added Users"]);
        Assert.False(details.ContainsKey("Organisation"));

        var history = page.QuerySelectorAll("#history-title + .table-region table tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal([partner, "Request submitted"], history[0].Skip(1));
        Assert.Equal(["system", $"E-mail sent: Activation e-mail to it.lead@{domain}"], history[1].Skip(1));

        var mail = page.QuerySelectorAll("#mail-title + .table-region table tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal([$"Activation e-mail to it.lead@{domain}", "Sent"], new[] { mail[0][0], mail[0][2] });
        Assert.Equal([$"Reminder to it.lead@{domain}", "Waiting to be sent"], new[] { mail[1][0], mail[1][2] });
        Assert.Equal(2, mail[0].Count - 2);
    }

    [Fact]
    public async Task List_SortsBySubmittedExpiresOrState()
    {
        var (client, _) = await factory.NewPartnerAsync(NewOrganisation());
        using (client)
        {
            var older = await factory.SubmitAsync(client, RequestSteps.NewDomain());
            var middle = await factory.SubmitAsync(client, RequestSteps.NewDomain());
            var newer = await factory.SubmitAsync(client, RequestSteps.NewDomain());
            await factory.WithDbAsync(async db =>
            {
                // The newest expires last; the middle one was cancelled.
                await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE AccountRequests SET ExpiresAt = {older.ExpiresAt.AddDays(5)} WHERE Id = {newer.Id}");
                var cancelled = await db.Requests.SingleAsync(r => r.Id == middle.Id);
                cancelled.Cancel("test", factory.Clock.GetUtcNow().UtcDateTime, null);
                return await db.SaveChangesAsync();
            });

            Assert.Equal([newer.Reference, middle.Reference, older.Reference], Lists.References(await client.GetPageAsync("/Requests")));
            Assert.Equal([older.Reference, middle.Reference, newer.Reference], Lists.References(await client.GetPageAsync("/Requests?sort=expires")));
            var byState = await client.GetPageAsync("/Requests?sort=state");
            Assert.Equal([newer.Reference, older.Reference, middle.Reference], Lists.References(byState));
            Assert.Equal("state", byState.QuerySelector("select#sort option[selected]")!.GetAttribute("value"));
        }
    }

    [Fact]
    public async Task EmptyList_SaysWhatComesNext_AndAnEmptySearchOffersToClearIt()
    {
        var (client, _) = await factory.NewPartnerAsync(NewOrganisation());
        using (client)
        {
            var none = await client.GetPageAsync("/Requests");
            Assert.Null(none.QuerySelector("main table"));
            Assert.Equal("Your organisation has not requested a Smart Account yet. Each request you make appears here, with its state.", none.QuerySelector("main .empty")!.TextContent.Trim());

            await factory.SubmitAsync(client, RequestSteps.NewDomain());
            var nothing = await client.GetPageAsync("/Requests?q=nothing-matches-this&state=Declined");
            var empty = nothing.QuerySelector("main .empty")!;
            Assert.StartsWith("No request matches this search or filter.", empty.TextContent.Trim(), StringComparison.Ordinal);
            var clear = empty.QuerySelector("a")!;
            Assert.Equal("Show all requests", clear.TextContent);
            Assert.Single(Lists.References(await client.GetPageAsync(clear.GetAttribute("href")!)));
        }
    }

    [Fact]
    public async Task Resend_After10Minutes_SendsANewLinkAndTheOldOneStopsWorking()
    {
        var (client, partner) = await factory.NewPartnerAsync(NewOrganisation());
        var domain = RequestSteps.NewDomain();
        var customer = $"it.lead@{domain}";
        var request = await factory.SubmitAsync(client, domain);
        await factory.SendMailAsync();
        var oldLink = ActivationPath(customer);

        // Too soon: the button is disabled and says from when it can be used; a post anyway
        // (from a page left open) is refused, nothing recorded.
        var page = await client.GetPageAsync("/Requests/" + request.Reference);
        var resend = page.Form("form[action$='handler=Resend']");
        Assert.True(resend.Button("Resend activation e-mail").IsDisabled);
        Assert.Equal("resend-wait", resend.Button("Resend activation e-mail").GetAttribute("aria-describedby"));
        Assert.StartsWith("Just sent: a new link can be sent from ", page.GetElementById("resend-wait")!.TextContent, StringComparison.Ordinal);
        using (var tooSoon = await client.SubmitAsync(resend, resend.Button("Resend activation e-mail")))
        {
            Assert.Equal(HttpStatusCode.Redirect, tooSoon.StatusCode);
        }

        var refused = await client.GetPageAsync("/Requests/" + request.Reference);
        Assert.Contains("was sent a moment ago", refused.QuerySelector("[role=alert]")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain((await factory.WithDbAsync(db => db.RequestEvents.Where(e => e.AccountRequestId == request.Id).ToListAsync())), e => e.Kind == RequestEventKind.Resent);

        factory.Clock.Advance(TimeSpan.FromMinutes(10));
        page = await client.GetPageAsync("/Requests/" + request.Reference);
        resend = page.Form("form[action$='handler=Resend']");
        Assert.False(resend.Button("Resend activation e-mail").IsDisabled);
        Assert.Null(page.GetElementById("resend-wait"));
        using (await client.SubmitAsync(resend, resend.Button("Resend activation e-mail")))
        {
        }

        var done = await client.GetPageAsync("/Requests/" + request.Reference);
        Assert.Contains("The link in the earlier e-mail no longer works.", done.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(done.QuerySelectorAll("#history-title + .table-region table tbody tr"), r => r.TextContent.Contains("Activation e-mail resent with a new link", StringComparison.Ordinal) && r.TextContent.Contains(partner, StringComparison.Ordinal));

        await factory.SendMailAsync();
        var newLink = ActivationPath(customer);
        Assert.NotEqual(oldLink, newLink);
        Assert.Contains("replaces an earlier one", factory.MailTo(customer).Last().Text, StringComparison.Ordinal);
        using var anonymous = factory.CreatePortalClient();
        using var dead = await anonymous.GetAsync(oldLink);
        Assert.Equal(HttpStatusCode.NotFound, dead.StatusCode);
        var live = await anonymous.GetPageAsync(newLink);
        Assert.Equal("Activate your company's Smart Account", live.QuerySelector("h1")!.TextContent);

        // The reminder that carried the old link was withdrawn; a new one carries the new link.
        var reminders = await factory.WithDbAsync(db => db.OutboxMessages.Where(m => m.AccountRequestId == request.Id && m.Kind == MailKind.Reminder).Select(m => m.Status).ToListAsync());
        Assert.Equal([OutboxStatus.Cancelled, OutboxStatus.Pending], reminders);
    }

    [Fact]
    public async Task Cancel_AfterConfirming_CancelsTellsTheCustomerAndKillsTheLink()
    {
        var (client, partner) = await factory.NewPartnerAsync(NewOrganisation());
        var domain = RequestSteps.NewDomain();
        var customer = $"it.lead@{domain}";
        var request = await factory.SubmitAsync(client, domain);
        await factory.SendMailAsync();
        var link = ActivationPath(customer);

        var details = await client.GetPageAsync("/Requests/" + request.Reference);
        var cancelLink = details.QuerySelectorAll("a").Single(a => a.TextContent == "Cancel request").GetAttribute("href")!;
        var confirm = await client.GetPageAsync(cancelLink);
        Assert.Equal("Cancel the request for Contoso Pharmaceuticals?", confirm.QuerySelector("h1")!.TextContent);
        Assert.Equal(RequestStatus.Pending, await factory.WithDbAsync(db => db.Requests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync()));

        var form = confirm.Form("main form");
        using var cancelled = await client.SubmitAsync(form, form.Button("Cancel request"), new Dictionary<string, string> { ["Input.Reason"] = "Customer asked us to wait." });
        Assert.Equal("/Requests/" + request.Reference, cancelled.Headers.Location!.OriginalString);

        var after = await client.GetPageAsync("/Requests/" + request.Reference);
        var done = after.QuerySelector(".notice")!;
        Assert.Equal(("status", $"The request was cancelled and {customer} is being told. The activation link no longer works."), (done.GetAttribute("role"), done.TextContent));
        Assert.True(done.HasAttribute("autofocus"), "The outcome takes the focus.");
        Assert.StartsWith("Cancelled", after.QuerySelectorAll("dl.details dd")[1].TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains(after.QuerySelectorAll("#history-title + .table-region table tbody tr"), r => r.TextContent.Contains("Cancelled: \u201cCustomer asked us to wait.\u201d", StringComparison.Ordinal) && r.TextContent.Contains(partner, StringComparison.Ordinal));
        Assert.Contains(after.QuerySelectorAll("a"), a => a.TextContent == "Request again");
        Assert.DoesNotContain(after.QuerySelectorAll("a, button"), e => e.TextContent is "Cancel request" or "Resend activation e-mail");

        await factory.SendMailAsync();
        var notice = Assert.Single(factory.MailTo(customer), m => m.Subject.Contains("cancelled", StringComparison.Ordinal));
        Assert.Contains("Customer asked us to wait.", notice.Text, StringComparison.Ordinal);
        using var anonymous = factory.CreatePortalClient();
        Assert.Equal("This request was cancelled", (await anonymous.GetPageAsync(link)).QuerySelector("h1")!.TextContent);

        // Cancelling again is refused with a message.
        using var again = await client.GetAsync(cancelLink);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var refused = (await client.GetPageAsync(again.Headers.Location!.OriginalString)).QuerySelector(".notice")!;
        Assert.Equal("alert", refused.GetAttribute("role"));
        Assert.True(refused.HasAttribute("autofocus"));
    }

    [Fact]
    public async Task RequestAgain_FromAClosedRequest_FillsTheForm_AndFromAnOpenOneDoesNot()
    {
        var (client, partner) = await factory.NewPartnerAsync(NewOrganisation());
        var domain = RequestSteps.NewDomain();
        var request = await factory.SubmitAsync(client, domain, $"ann@{domain} bob@{domain}");

        using var open = await client.GetAsync("/Requests/New?from=" + request.Reference);
        Assert.Equal("/Requests/" + request.Reference, open.Headers.Location!.OriginalString);

        await factory.WithDbAsync(async db =>
        {
            var tracked = await db.Requests.SingleAsync(r => r.Id == request.Id);
            tracked.Decline(factory.Clock.GetUtcNow().UtcDateTime, null);
            return await db.SaveChangesAsync();
        });
        var details = await client.GetPageAsync("/Requests/" + request.Reference);
        var again = details.QuerySelectorAll("a").Single(a => a.TextContent == "Request again").GetAttribute("href")!;
        var form = await client.GetPageAsync(again);

        Assert.Equal("Contoso Pharmaceuticals", form.GetElementById("Input_AccountName")!.GetAttribute("value"));
        Assert.Equal($"it.lead@{domain}", form.GetElementById("Input_CustomerEmail")!.GetAttribute("value"));
        Assert.Equal(domain, form.GetElementById("Input_AccountDomain")!.GetAttribute("value"));
        Assert.Equal("Please accept this week.", form.GetElementById("Input_NoteToCustomer")!.TextContent);
        Assert.Equal($"ann@{domain}\nbob@{domain}", form.GetElementById("Input_UserEmails")!.TextContent);
        Assert.Equal("Welcome aboard.", form.GetElementById("Input_NoteToAddedUsers")!.TextContent);
        _ = partner;
    }

    [Fact]
    public async Task AnotherOrganisationsRequest_Answers404_OnEveryPageAndAction()
    {
        var (owner, _) = await factory.NewPartnerAsync(NewOrganisation());
        var request = await factory.SubmitAsync(owner, RequestSteps.NewDomain());
        var (stranger, _) = await factory.NewPartnerAsync(NewOrganisation());

        // The stranger's own page gives it valid forms and tokens to post with.
        var own = await factory.SubmitAsync(stranger, RequestSteps.NewDomain());
        var ownPage = await stranger.GetPageAsync("/Requests/" + own.Reference);
        var token = ownPage.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        FormUrlEncodedContent Form(params (string, string)[] extra) =>
            new([new("__RequestVerificationToken", token), .. extra.Select(e => new KeyValuePair<string, string>(e.Item1, e.Item2))]);

        var reference = request.Reference;
        var responses = new[]
        {
            await stranger.GetAsync($"/Requests/{reference}"),
            await stranger.GetAsync($"/Requests/{reference}/Cancel"),
            await stranger.GetAsync($"/Requests/Complete/{reference}"),
            await stranger.GetAsync($"/Requests/New?from={reference}"),
            await stranger.PostAsync($"/Requests/{reference}?handler=Resend", Form()),
            await stranger.PostAsync($"/Requests/{reference}/Cancel", Form(("Input.Reason", "mine now"))),
        };

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var after = await factory.WithDbAsync(db => db.Requests.AsNoTracking().Include(r => r.Events).SingleAsync(r => r.Id == request.Id));
        Assert.Equal(RequestStatus.Pending, after.Status);
        Assert.Single(after.Events);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Theory]
    [InlineData("/Support")]
    [InlineData("/Support?handler=Export")]
    [InlineData("/Support/Requests/SA-ABCDEFGH")]
    public async Task Partners_NeverReachSupportPages(string path)
    {
        var (client, _) = await factory.NewPartnerAsync(NewOrganisation());
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Identity/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        var home = await client.GetPageAsync("/");
        Assert.DoesNotContain(home.QuerySelectorAll("nav a"), a => a.TextContent == "Support");
    }
}
