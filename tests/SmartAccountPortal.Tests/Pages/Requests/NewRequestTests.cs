using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Pages.Requests;

public sealed class NewRequestTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private readonly string partnerEmail = $"partner-{Guid.NewGuid():N}@example.com";
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        await factory.CreateUserAsync(partnerEmail);
        client = factory.CreatePortalClient();
        await client.SignInAsync(partnerEmail);
    }

    public Task DisposeAsync()
    {
        client.Dispose();
        return Task.CompletedTask;
    }

    private static string UniqueDomain() => $"c{Guid.NewGuid():N}"[..20] + ".com";

    private static Dictionary<string, string> ValidInput(string domain) => new()
    {
        ["Input.AccountName"] = "Contoso Pharmaceuticals",
        ["Input.CustomerEmail"] = $"it.lead@{domain}",
        ["Input.AccountDomain"] = domain.ToUpperInvariant(),
        ["Input.NoteToCustomer"] = "Please accept by Friday.\r\nThanks!",
        ["Input.UserEmails"] = $"ann@{domain}, bob@{domain};ANN@{domain}\ncarol@{domain}",
        ["Input.NoteToAddedUsers"] = "Welcome aboard.",
    };

    private async Task<IHtmlDocument> ReviewAsync(Dictionary<string, string> values)
    {
        var page = await client.GetPageAsync("/Requests/New");
        var form = page.Form("#request-form");
        using var response = await client.SubmitAsync(form, form.Button("Submit Request"), values);
        return await client.ReadFollowingAsync(response);
    }

    private static IHtmlFormElement DialogForm(IHtmlDocument page) =>
        page.Form("[role=dialog] form");

    [Fact]
    public async Task Get_SignedOut_RedirectsToSignIn()
    {
        using var anonymous = factory.CreatePortalClient();
        using var response = await anonymous.GetAsync("/Requests/New");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/Identity/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_SupportStaff_AreNotAllowed()
    {
        var email = $"support-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email, Roles.Support);
        using var support = factory.CreatePortalClient();
        await support.SignInAsync(email);
        using var response = await support.GetAsync("/Requests/New");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Identity/Account/AccessDenied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_Partner_OffersRequestSmartAccountUnderSmartLicensing()
    {
        var page = await client.GetPageAsync("/");
        Assert.Equal("Smart Licensing", page.QuerySelector("main h2")!.TextContent);
        Assert.Equal("New customer accounts", page.QuerySelector("main h3")!.TextContent);
        Assert.Contains(page.QuerySelectorAll("main a"), a => a.TextContent == "Request Smart Account" && a.GetAttribute("href") == "/Requests/New");
        Assert.Contains(page.QuerySelectorAll("nav a"), a => a.TextContent == "Request Smart Account");
    }

    [Fact]
    public async Task Get_Partner_ShowsBothSectionsWithTheirLabels()
    {
        var page = await client.GetPageAsync("/Requests/New");
        Assert.Equal("Request a Smart Account for your customer", page.QuerySelector("h1")!.TextContent);
        Assert.Equal(
            ["Identify the name and the customer", "Add users to the account"],
            page.QuerySelectorAll("legend").Select(l => l.TextContent));
        Assert.Equal(
            ["Account Name", "Customer Email", "Account Domain", "Customer Language (optional)", "Note to Customer (optional)", "User Emails (optional)", "Note to Added Users (optional)"],
            page.QuerySelectorAll("#request-form label").Select(l => l.TextContent));

        // Required fields say so to assistive technology; the form says which ones may stay empty.
        Assert.Equal(["Input_AccountName", "Input_CustomerEmail", "Input_AccountDomain"], page.QuerySelectorAll("#request-form [aria-required=true]").Select(e => e.Id));
        Assert.Contains("(optional) can be left empty", page.QuerySelector("#request-form .hint")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Up to 1000 characters.", page.GetElementById("note-customer-count")!.TextContent);
        Assert.Contains("note-customer-count", page.GetElementById("Input_NoteToCustomer")!.GetAttribute("aria-describedby")!.Split(' '));
        foreach (var label in page.QuerySelectorAll("#request-form label"))
        {
            Assert.NotNull(page.GetElementById(label.GetAttribute("for")!));
        }

        Assert.Contains("the person who will approve the account's creation", page.GetElementById("customer-email-help")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("Submit Request", page.Form("#request-form").Button("Submit Request").TextContent);
        Assert.Null(page.QuerySelector("[role=dialog]"));
    }

    [Fact]
    public async Task Review_InvalidInput_KeepsWhatWasTypedAndMarksEachBadField()
    {
        var typed = new Dictionary<string, string>
        {
            ["Input.AccountName"] = "",
            ["Input.CustomerEmail"] = "it.lead@fabrikam.com",
            ["Input.AccountDomain"] = "contoso.com",
            ["Input.NoteToCustomer"] = "Keep this note",
            ["Input.UserEmails"] = "ok@contoso.com, broken@, also broken",
            ["Input.NoteToAddedUsers"] = new string('x', 1001),
        };
        var page = await ReviewAsync(typed);

        Assert.Null(page.QuerySelector("[role=dialog]"));
        Assert.Equal("it.lead@fabrikam.com", page.GetElementById("Input_CustomerEmail")!.GetAttribute("value"));
        Assert.Equal("contoso.com", page.GetElementById("Input_AccountDomain")!.GetAttribute("value"));
        Assert.Equal("Keep this note", page.GetElementById("Input_NoteToCustomer")!.TextContent);
        Assert.Equal("ok@contoso.com, broken@, also broken", page.GetElementById("Input_UserEmails")!.TextContent);

        AssertInvalid(page, "Input_AccountName", "Enter the account name.");
        AssertInvalid(page, "Input_CustomerEmail", "The customer's e-mail address must be in the account domain (contoso.com) or one of its subdomains.");
        AssertInvalid(page, "Input_UserEmails", "These are not valid e-mail addresses: broken@, also, broken");
        AssertInvalid(page, "Input_NoteToAddedUsers", "The note to added users can be at most 1,000 characters.");
        AssertValid(page, "Input_AccountDomain");
        AssertValid(page, "Input_NoteToCustomer");

        var summary = page.QuerySelector(".error-summary")!;
        Assert.Equal("alert", summary.GetAttribute("role"));
        Assert.Equal(4, summary.QuerySelectorAll("li").Length);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == "contoso.com")));
    }

    [Fact]
    public async Task Review_DomainAlreadyPending_IsRefusedNextToTheDomain()
    {
        var domain = UniqueDomain();
        await SubmitAsync(ValidInput(domain));

        var page = await ReviewAsync(ValidInput(domain));
        Assert.Null(page.QuerySelector("[role=dialog]"));
        var reference = await factory.WithDbAsync(db => db.Requests.Where(r => r.AccountDomain == domain).Select(r => r.Reference).SingleAsync());
        AssertInvalid(page, "Input_AccountDomain", $"Your organisation already requested a Smart Account for {domain} ({reference}), and the customer has not answered yet. Resend or cancel that request from My Requests; a new one can be made once it is cancelled, declined or expired.");
    }

    [Fact]
    public async Task Review_DomainTakenAndOtherMistakes_AreAllToldInOneRound()
    {
        var domain = UniqueDomain();
        await SubmitAsync(ValidInput(domain));

        var page = await ReviewAsync(new(ValidInput(domain)) { ["Input.AccountName"] = "" });
        AssertInvalid(page, "Input_AccountName", "Enter the account name.");
        Assert.Equal("true", page.GetElementById("Input_AccountDomain")!.GetAttribute("aria-invalid"));
        Assert.Contains(domain, page.GetElementById("Input_AccountDomain-error")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_PastedWebAddress_IsStoredAsTheBareDomain()
    {
        var domain = UniqueDomain();
        var page = await ReviewAsync(new(ValidInput(domain)) { ["Input.AccountDomain"] = $"https://www.{domain.ToUpperInvariant()}/contact" });
        Assert.Contains(page.QuerySelectorAll("[role=dialog] dd"), dd => dd.TextContent == domain);

        await SubmitAsync(new(ValidInput(domain)) { ["Input.AccountDomain"] = $"https://www.{domain}/" });
        Assert.Equal(1, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
    }

    [Fact]
    public async Task Submit_InternationalDomain_IsStoredInAscii_AndShownAsTyped()
    {
        var name = $"società-{Guid.NewGuid():N}"[..20];
        var domain = $"{name}.it";
        var ascii = new System.Globalization.IdnMapping().GetAscii(domain);
        var values = new Dictionary<string, string>
        {
            ["Input.AccountName"] = "Società Meccanica",
            ["Input.CustomerEmail"] = $"mario.rossi@{domain}",
            ["Input.AccountDomain"] = domain,
        };

        var location = await SubmitAsync(values);
        var stored = await factory.WithDbAsync(db => db.Requests.SingleAsync(r => r.AccountDomain == ascii));
        Assert.Equal($"mario.rossi@{ascii}", stored.CustomerEmail);
        var details = await client.GetPageAsync($"/Requests/{stored.Reference}");
        Assert.Contains(details.QuerySelectorAll("dl.details dd"), dd => dd.TextContent == domain);
        Assert.EndsWith(stored.Reference, location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_DomainActiveForOwnOrganisation_SaysItIsActiveWithoutSuggestingItExpires()
    {
        var domain = UniqueDomain();
        await SubmitAsync(ValidInput(domain));
        var reference = await factory.WithDbAsync(async db =>
        {
            var request = await db.Requests.SingleAsync(r => r.AccountDomain == domain);
            request.Activate(factory.Clock.GetUtcNow().UtcDateTime);
            await db.SaveChangesAsync();
            return request.Reference;
        });

        var page = await ReviewAsync(ValidInput(domain));

        var message = page.QuerySelector("#Input_AccountDomain-error")!.TextContent.Trim();
        Assert.Equal($"{domain} already has an active Smart Account, which your organisation requested ({reference}).", message);
        Assert.DoesNotContain("expire", message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Review_DomainHeldByAnotherOrganisation_SaysOnlyThatItCannotBeRequestedAndWhereToAsk(bool active)
    {
        var domain = UniqueDomain();
        var (other, _) = await factory.NewPartnerAsync("Contoso Resellers");
        using (other)
        {
            await factory.SubmitAsync(other, domain);
        }

        var held = await factory.WithDbAsync(async db =>
        {
            var request = await db.Requests.SingleAsync(r => r.AccountDomain == domain);
            if (active)
            {
                request.Activate(factory.Clock.GetUtcNow().UtcDateTime);
                await db.SaveChangesAsync();
            }

            return request;
        });

        var page = await ReviewAsync(ValidInput(domain));

        Assert.Null(page.QuerySelector("[role=dialog]"));
        AssertInvalid(page, "Input_AccountDomain", $"A Smart Account cannot be requested for {domain} right now. Contact licensing support to find out why and what to do.");
        var text = page.QuerySelector("main")!.TextContent;
        Assert.DoesNotContain(held.Reference, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Contoso Resellers", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Pending", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Active", text, StringComparison.Ordinal);
        Assert.Equal("https://support.example.com/cases/new?category=software-licensing", page.QuerySelector("#domain-support a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Review_ValidInput_OpensReviewRequestDialogWithEveryValue()
    {
        var domain = UniqueDomain();
        var page = await ReviewAsync(ValidInput(domain));

        var dialog = page.QuerySelector("[role=dialog]")!;
        Assert.Equal("DIALOG", dialog.TagName);
        Assert.Equal("Review Request", page.GetElementById(dialog.GetAttribute("aria-labelledby")!)!.TextContent);
        var values = dialog.QuerySelectorAll("dt").Zip(dialog.QuerySelectorAll("dd"))
            .ToDictionary(p => p.First.TextContent, p => p.Second);
        Assert.Equal("Contoso Pharmaceuticals", values["Account Name"].TextContent);
        Assert.Equal($"it.lead@{domain}", values["Customer Email"].TextContent);
        Assert.Equal(domain, values["Account Domain"].TextContent);
        Assert.Equal("Please accept by Friday.\nThanks!", values["Note to Customer"].TextContent);
        Assert.Equal([$"ann@{domain}", $"bob@{domain}", $"carol@{domain}"], values["User Emails"].QuerySelectorAll("li").Select(li => li.TextContent));
        Assert.Equal("Welcome aboard.", values["Note to Added Users"].TextContent);

        var form = DialogForm(page);
        Assert.Equal("Submit Request", form.Button("Submit Request").TextContent);
        Assert.Equal("Back", form.Button("Back").TextContent);
        Assert.Equal(0, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
    }

    [Fact]
    public async Task Back_FromTheDialog_ReturnsTheFormAsTyped_WithTheDomainAsItWillBeStored()
    {
        var domain = UniqueDomain();
        var values = ValidInput(domain);
        var review = await ReviewAsync(values);
        var form = DialogForm(review);

        using var response = await client.SubmitAsync(form, form.Button("Back"));
        var page = await Html.ReadAsync(response);

        Assert.Null(page.QuerySelector("[role=dialog]"));
        Assert.Null(page.QuerySelector("[aria-invalid]"));
        Assert.Equal(domain, page.GetElementById("Input_AccountDomain")!.GetAttribute("value"));
        Assert.Equal(values["Input.UserEmails"], page.GetElementById("Input_UserEmails")!.TextContent);
        Assert.Equal(values["Input.NoteToCustomer"], page.GetElementById("Input_NoteToCustomer")!.TextContent);
    }

    [Fact]
    public async Task Submit_FromTheDialog_StoresOnePendingRequestAndRedirectsToComplete()
    {
        var domain = UniqueDomain();
        var review = await ReviewAsync(ValidInput(domain));
        var form = DialogForm(review);

        using var response = await client.SubmitAsync(form, form.Button("Submit Request"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Matches("^/Requests/Complete/SA-[2-9A-HJKMNP-TV-Z]{8}$", location);

        var stored = await factory.WithDbAsync(db => db.Requests.Include(r => r.Events).Include(r => r.Organisation).SingleAsync(r => r.AccountDomain == domain));
        Assert.Equal(RequestStatus.Pending, stored.Status);
        Assert.Equal("Contoso Pharmaceuticals", stored.AccountName);
        Assert.Equal($"it.lead@{domain}", stored.CustomerEmail);
        Assert.Equal([$"ann@{domain}", $"bob@{domain}", $"carol@{domain}"], stored.UserEmails);
        Assert.Equal("Please accept by Friday.\nThanks!", stored.NoteToCustomer);
        Assert.Equal("Northwind Partners", stored.Organisation!.Name);
        Assert.Equal(factory.Clock.GetUtcNow().UtcDateTime, stored.SubmittedAt);
        Assert.Equal(stored.SubmittedAt.AddDays(90), stored.ExpiresAt);
        var submitted = Assert.Single(stored.Events);
        Assert.Equal(RequestEventKind.Submitted, submitted.Kind);
        Assert.Equal(partnerEmail, submitted.Actor);

        var complete = await client.GetPageAsync(location);
        Assert.Equal("Smart Account Request Complete", complete.QuerySelector("h1")!.TextContent);
        Assert.Contains("provisional Smart Account", complete.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        var details = complete.QuerySelectorAll("dt").Zip(complete.QuerySelectorAll("dd")).ToDictionary(p => p.First.TextContent, p => p.Second.TextContent.Trim());
        Assert.Equal(stored.Reference, details["Reference"]);
        Assert.Equal("Pending", details["State"]);
        Assert.Equal($"it.lead@{domain}", details["Activation instructions go to"]);
        Assert.Equal(stored.ExpiresAt.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture), details["Expires if not accepted by"]);
    }

    [Fact]
    public async Task Review_IsAPageOfItsOwn_ReachedByGet_AndAfterSubmitItsAddressOffersAFreshForm()
    {
        var domain = UniqueDomain();
        var form = (await client.GetPageAsync("/Requests/New")).Form("#request-form");
        using var posted = await client.SubmitAsync(form, form.Button("Submit Request"), ValidInput(domain));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var reviewUrl = posted.Headers.Location!.OriginalString;
        var key = reviewUrl[^32..];
        Assert.Matches("^/Requests/New\\?review=[0-9A-F]{32}$", reviewUrl);

        // Opened again (a reload), the same review, under the same key; another partner sees nothing of it.
        var review = await client.GetPageAsync(reviewUrl);
        var again = await client.GetPageAsync(reviewUrl);
        Assert.Equal(DialogForm(review).QuerySelector("[name=SubmissionKey]")!.GetAttribute("value"), key);
        Assert.Equal(review.QuerySelector("[role=dialog]")!.TextContent, again.QuerySelector("[role=dialog]")!.TextContent);
        Assert.Contains(review.QuerySelectorAll("[role=dialog] dd"), dd => dd.TextContent == domain);
        var (other, _) = await factory.NewPartnerAsync($"Other {Guid.NewGuid():N}"[..20]);
        using (other)
        {
            Assert.Null((await other.GetPageAsync(reviewUrl)).QuerySelector("[role=dialog]"));
        }

        Assert.Equal(1, await factory.WithDbAsync(db => db.RequestDrafts.CountAsync(d => d.SubmissionKey == key)));
        var dialog = DialogForm(review);
        using var submitted = await client.SubmitAsync(dialog, dialog.Button("Submit Request"));
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[^1];
        Assert.Equal(0, await factory.WithDbAsync(db => db.RequestDrafts.CountAsync(d => d.SubmissionKey == key)));

        // The browser's Back from Complete: the empty form, saying which request the review became.
        var back = await client.GetPageAsync(reviewUrl);
        Assert.Null(back.QuerySelector("[role=dialog]"));
        var notice = back.QuerySelector("main [role=status]")!;
        Assert.Equal($"Request {reference} has been submitted. To request another Smart Account, fill in the form again.", notice.TextContent);
        Assert.Equal("/Requests/" + reference, notice.QuerySelector("a")!.GetAttribute("href"));
        Assert.True(notice.HasAttribute("autofocus"));
        Assert.Equal("", back.GetElementById("Input_AccountDomain")!.GetAttribute("value") ?? "");
        Assert.Equal(1, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
    }

    [Fact]
    public async Task Review_NotSubmitted_IsForgottenAfterADay()
    {
        var form = (await client.GetPageAsync("/Requests/New")).Form("#request-form");
        using var posted = await client.SubmitAsync(form, form.Button("Submit Request"), ValidInput(UniqueDomain()));
        var key = posted.Headers.Location!.OriginalString[^32..];
        var worker = ActivatorUtilities.CreateInstance<SmartAccountPortal.Background.BackgroundWorker>(factory.Services);

        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, await factory.WithDbAsync(db => db.RequestDrafts.CountAsync(d => d.SubmissionKey == key)));
        factory.Clock.Advance(RequestDraft.KeptFor + TimeSpan.FromMinutes(1));
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(0, await factory.WithDbAsync(db => db.RequestDrafts.CountAsync(d => d.SubmissionKey == key)));
    }

    [Fact]
    public async Task Submit_SameReviewPostedTwice_StoresOneRequest()
    {
        var domain = UniqueDomain();
        var form = DialogForm(await ReviewAsync(ValidInput(domain)));

        using var first = await client.SubmitAsync(form, form.Button("Submit Request"));
        using var second = await client.SubmitAsync(form, form.Button("Submit Request"));

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
    }

    [Fact]
    public async Task Submit_DoubleClick_TwoPostsAtOnce_StoreOneRequest()
    {
        var domain = UniqueDomain();
        var form = DialogForm(await ReviewAsync(ValidInput(domain)));

        var responses = await Task.WhenAll(
            client.SubmitAsync(form, form.Button("Submit Request")),
            client.SubmitAsync(form, form.Button("Submit Request")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        Assert.Equal(responses[0].Headers.Location, responses[1].Headers.Location);
        Assert.Equal(1, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
    }

    [Fact]
    public async Task Submit_ValuesChangedAfterReview_AreValidatedAgainAndNothingIsStored()
    {
        var domain = UniqueDomain();
        var form = DialogForm(await ReviewAsync(ValidInput(domain)));

        using var response = await client.SubmitAsync(form, form.Button("Submit Request"), new Dictionary<string, string>
        {
            ["Input.CustomerEmail"] = "attacker@evil.example",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ReadAsync(response);
        AssertInvalid(page, "Input_CustomerEmail", $"The customer's e-mail address must be in the account domain ({domain}) or one of its subdomains.");
        Assert.Equal(0, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
    }

    [Fact]
    public async Task Submit_WithoutAReviewKey_ShowsTheReviewInsteadOfStoring()
    {
        var domain = UniqueDomain();
        var form = DialogForm(await ReviewAsync(ValidInput(domain)));

        using var response = await client.SubmitAsync(form, form.Button("Submit Request"), new Dictionary<string, string> { ["SubmissionKey"] = "" });

        var page = await Html.ReadAsync(response);
        Assert.NotNull(page.QuerySelector("[role=dialog]"));
        Assert.Equal(0, await factory.WithDbAsync(db => db.Requests.CountAsync(r => r.AccountDomain == domain)));
    }

    [Fact]
    public async Task Complete_AnotherOrganisationsRequest_AnswersNotFound()
    {
        var domain = UniqueDomain();
        var location = await SubmitAsync(ValidInput(domain));

        var otherEmail = $"other-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(otherEmail, organisation: "Contoso Resellers");
        using var other = factory.CreatePortalClient();
        await other.SignInAsync(otherEmail);

        using var theirs = await other.GetAsync(location);
        using var unknown = await other.GetAsync("/Requests/Complete/SA-NOPE2345");
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var theirsPage = await Html.ReadAsync(theirs);
        var unknownPage = await Html.ReadAsync(unknown);
        Assert.Equal("Page not found", theirsPage.QuerySelector("h1")!.TextContent);
        Assert.Equal(unknownPage.QuerySelector("main")!.InnerHtml, theirsPage.QuerySelector("main")!.InnerHtml);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRejected()
    {
        var values = ValidInput(UniqueDomain());
        using var response = await client.PostAsync("/Requests/New?handler=Review", new FormUrlEncodedContent(values));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<string> SubmitAsync(Dictionary<string, string> values)
    {
        var form = DialogForm(await ReviewAsync(values));
        using var response = await client.SubmitAsync(form, form.Button("Submit Request"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    private static void AssertInvalid(IHtmlDocument page, string id, string message)
    {
        var field = page.GetElementById(id)!;
        Assert.Equal("true", field.GetAttribute("aria-invalid"));
        Assert.Contains($"{id}-error", field.GetAttribute("aria-describedby")!.Split(' '));
        Assert.Equal(message, page.GetElementById($"{id}-error")!.TextContent);
    }

    private static void AssertValid(IHtmlDocument page, string id)
    {
        Assert.Null(page.GetElementById(id)!.GetAttribute("aria-invalid"));
        Assert.Equal("", page.GetElementById($"{id}-error")!.TextContent);
    }
}
