using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;
using static SmartAccountPortal.Tests.Infrastructure.Lists;
using Csv = SmartAccountPortal.Infrastructure.Csv;

namespace SmartAccountPortal.Tests.Pages.Support;

/// <summary>The support console. One database per class, so counts are asserted as differences.</summary>
public sealed class SupportTests(PortalFactory factory) : IClassFixture<PortalFactory>, IAsyncLifetime
{
    private HttpClient staff = null!;
    private string staffEmail = null!;

    public async Task InitializeAsync() => (staff, staffEmail) = await factory.NewSupportAsync();

    public Task DisposeAsync()
    {
        staff.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(AccountRequest Request, string Partner, string Organisation)> OneRequestAsync(string? accountName = null)
    {
        var organisation = $"Reseller {Guid.NewGuid():N}"[..20];
        var (client, partner) = await factory.NewPartnerAsync(organisation);
        client.Dispose();
        var request = (await factory.SeedRequestsAsync(partner, 1, accountName is null ? null : _ => accountName))[0];
        return (request, partner, organisation);
    }

    [Fact]
    public async Task Search_FindsARequestByEveryField()
    {
        var (request, partner, organisation) = await OneRequestAsync($"Wingtip {Guid.NewGuid():N}"[..20]);
        await OneRequestAsync();

        foreach (var term in new[]
                 {
                     request.Reference, request.Reference.ToLowerInvariant(), request.AccountName, request.AccountName.ToUpperInvariant(),
                     request.AccountDomain[3..12], request.CustomerEmail, partner, partner[..12].ToUpperInvariant(), organisation,
                 })
        {
            var page = await staff.GetPageAsync("/Support?q=" + Uri.EscapeDataString(term));
            Assert.True(References(page).SequenceEqual([request.Reference]), $"Searching '{term}' found {string.Join(", ", References(page))}.");
        }

        var row = (await staff.GetPageAsync("/Support?q=" + request.Reference)).QuerySelectorAll("tbody tr td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal([request.Reference, request.AccountName, request.AccountDomain, request.CustomerEmail, partner, organisation, "Pending"], row.Take(7));
    }

    [Fact]
    public async Task Search_WildcardsInTheTerm_AreTakenLiterally()
    {
        var (request, _, _) = await OneRequestAsync($"100% Pure_{Guid.NewGuid():N}"[..20]);
        await OneRequestAsync("1000 Pure Anything");

        var page = await staff.GetPageAsync("/Support?q=" + Uri.EscapeDataString("100% Pure_"));

        Assert.Equal([request.Reference], References(page));
    }

    [Fact]
    public async Task Filter_State_AndSort_ByExpires()
    {
        var (client, partner) = await factory.NewPartnerAsync($"Sorted {Guid.NewGuid():N}"[..20]);
        client.Dispose();
        var requests = await factory.SeedRequestsAsync(partner, 3, apart: TimeSpan.FromHours(1));
        await factory.WithDbAsync(async db =>
        {
            var tracked = await db.Requests.SingleAsync(r => r.Id == requests[1].Id);
            tracked.Decline(factory.Clock.GetUtcNow().UtcDateTime, null);
            return await db.SaveChangesAsync();
        });

        var bySubmitted = await staff.GetPageAsync($"/Support?q={Uri.EscapeDataString(partner)}");
        var byExpires = await staff.GetPageAsync($"/Support?q={Uri.EscapeDataString(partner)}&sort=expires");
        var declined = await staff.GetPageAsync($"/Support?q={Uri.EscapeDataString(partner)}&state=Declined");

        Assert.Equal(requests.Select(r => r.Reference).Reverse(), References(bySubmitted));
        Assert.Equal(requests.Select(r => r.Reference), References(byExpires));
        Assert.Equal([requests[1].Reference], References(declined));
        Assert.Equal("1 request", declined.QuerySelector(".count")!.TextContent.Trim().Split('·')[0].Trim());
    }

    [Fact]
    public async Task Results_ArePagedBy25_WithTheCount_AndTheExportHoldsEveryMatchingRow()
    {
        var name = $"Paged {Guid.NewGuid():N}"[..16];
        var (client, partner) = await factory.NewPartnerAsync(name);
        client.Dispose();
        var requests = await factory.SeedRequestsAsync(partner, 27, i => i == 0 ? $"=HYPERLINK(\"x\"), {name}" : $"{name} {i:00}");

        var page = await staff.GetPageAsync("/Support?q=" + Uri.EscapeDataString(name));
        Assert.Equal(27, Count(page));
        Assert.Equal(25, References(page).Count);
        Assert.Equal("Page 1 of 2", page.QuerySelector(".pager span")!.TextContent);
        var second = await staff.GetPageAsync(page.QuerySelector("a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal(2, References(second).Count);

        var export = page.QuerySelectorAll("a").Single(a => a.TextContent == "Export CSV").GetAttribute("href")!;
        using var response = await staff.GetAsync(export);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(".csv", response.Content.Headers.ContentDisposition!.FileName, StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            "Reference,Account Name,Domain,Customer,Customer Language,Partner,Organisation,State,"
            + "Submitted (UTC),Submitted (ISO 8601),Expires (UTC),Expires (ISO 8601),Closed (UTC),Closed (ISO 8601)",
            lines[0]);
        Assert.Equal(28, lines.Length);
        Assert.Equal(requests.Select(r => r.Reference).Order(), lines.Skip(1).Select(l => l.Split(',')[0]).Order());

        // A value a spreadsheet would run as a formula is defused, and quoted because of its comma and quotes.
        var formula = lines.Single(l => l.StartsWith(requests[0].Reference, StringComparison.Ordinal));
        Assert.Contains($"\"'=HYPERLINK(\"\"x\"\"), {name}\"", formula, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", ',', "Export CSV", "Export CSV with semicolons (for spreadsheets in Italian, Dutch or German settings)")]
    [InlineData("it", ';', "Esporta CSV", "Esporta CSV con virgole (per fogli di calcolo con impostazioni inglesi)")]
    [InlineData("nl", ';', "CSV exporteren", "CSV exporteren met komma's (voor spreadsheets met Engelse instellingen)")]
    public async Task Export_SeparatesAsSpreadsheetsInTheReadersLanguageExpect_AndOffersTheOtherSeparator(
        string language, char separator, string export, string otherExport)
    {
        var (request, _, _) = await OneRequestAsync($"Rossi; Bianchi, {Guid.NewGuid():N}"[..24]);
        HttpRequestMessage InLanguage(string path)
        {
            var message = new HttpRequestMessage(HttpMethod.Get, path);
            message.Headers.Add("Accept-Language", language);
            return message;
        }

        using var pageRequest = InLanguage("/Support?q=" + request.Reference);
        using var pageResponse = await staff.SendAsync(pageRequest);
        var links = (await Html.ReadAsync(pageResponse)).QuerySelectorAll("p.count a");
        Assert.Equal([export, otherExport], links.Select(a => a.TextContent));

        foreach (var (href, expected) in new[] { (links[0].GetAttribute("href")!, separator), (links[1].GetAttribute("href")!, separator == ',' ? ';' : ',') })
        {
            using var csvRequest = InLanguage(href);
            using var response = await staff.SendAsync(csvRequest);
            var rows = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
                .Select(line => SplitCsv(line, expected)).ToList();

            // Split at the expected separator, each line has the heading's 14 columns, and the
            // account name, which holds both separators, stays one quoted field.
            Assert.Equal(2, rows.Count);
            Assert.All(rows, r => Assert.Equal(14, r.Count));
            Assert.Equal(request.Reference, rows[1][0]);
            Assert.Equal($"\"{request.AccountName}\"", rows[1][1]);
        }
    }

    /// <summary>A CSV line's fields, split at <paramref name="separator"/> outside quotes (quotes kept).</summary>
    private static List<string> SplitCsv(string line, char separator)
    {
        var fields = new List<string>();
        var start = 0;
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                quoted = !quoted;
            }
            else if (line[i] == separator && !quoted)
            {
                fields.Add(line[start..i]);
                start = i + 1;
            }
        }

        fields.Add(line[start..]);
        return fields;
    }

    [Fact]
    public async Task Dashboard_CountsPendingExpiringSoonAndFailedMail()
    {
        var before = await staff.GetPageAsync("/Support");
        int[] Figures(IHtmlDocument page) => page.QuerySelectorAll(".dashboard strong").Select(s => int.Parse(s.TextContent.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (pending0, soon0, failed0) = (Figures(before)[0], Figures(before)[1], Figures(before)[2]);

        var (client, partner) = await factory.NewPartnerAsync($"Dash {Guid.NewGuid():N}"[..16]);
        client.Dispose();
        var requests = await factory.SeedRequestsAsync(partner, 3);
        await factory.WithDbAsync(async db =>
        {
            // One expires in 3 days; one has two e-mails that failed for good (it counts once).
            await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE AccountRequests SET ExpiresAt = {factory.Clock.GetUtcNow().UtcDateTime.AddDays(3)} WHERE Id = {requests[0].Id}");
            db.RequestEvents.Add(RequestEvent.ForRequest(requests[1].Id, RequestEventKind.MailFailed, "system", factory.Clock.GetUtcNow().UtcDateTime, "x"));
            foreach (var kind in new[] { MailKind.Activation, MailKind.Reminder })
            {
                db.OutboxMessages.Add(new OutboxMessage
                {
                    MessageId = $"<{Guid.NewGuid():N}@test>", AccountRequestId = requests[1].Id, Kind = kind, To = "x@y.example",
                    Subject = "s", TextBody = "t", HtmlBody = "h", Status = OutboxStatus.Failed, Attempts = 8, LastError = "SmtpException: down",
                    CreatedAt = factory.Clock.GetUtcNow().UtcDateTime, NextAttemptAt = factory.Clock.GetUtcNow().UtcDateTime,
                });
            }

            return await db.SaveChangesAsync();
        });

        var after = Figures(await staff.GetPageAsync("/Support"));
        Assert.Equal([pending0 + 3, soon0 + 1, failed0 + 1], after);
        var labels = (await staff.GetPageAsync("/Support")).QuerySelectorAll(".dashboard li")
            .Select(li => li.TextContent.Replace(li.QuerySelector("strong")!.TextContent, "", StringComparison.Ordinal).Trim());
        Assert.Equal(["Pending", "expire within 7 days", "with a failed e-mail"], labels);

        // Each figure links to the list it counts, which holds exactly that many.
        var dashboard = await staff.GetPageAsync("/Support");
        var links = dashboard.QuerySelectorAll(".dashboard li a").Select(a => a.GetAttribute("href")!).ToList();
        Assert.Equal(["/Support?state=Pending", "/Support?show=expiring&sort=expires", "/Support?show=failed-mail"], links);
        foreach (var (link, figure) in links.Zip(after))
        {
            var list = await staff.GetPageAsync(link);
            Assert.Equal(figure, Count(list));
        }

        var failedList = await staff.GetPageAsync("/Support?show=failed-mail");
        Assert.Single(Lists.References(failedList), requests[1].Reference);
        Assert.DoesNotContain(requests[2].Reference, Lists.References(failedList));
        var expiringList = await staff.GetPageAsync("/Support?show=expiring&sort=expires");
        Assert.Contains(requests[0].Reference, Lists.References(expiringList));
        Assert.Equal("expiring", expiringList.QuerySelector("select#show option[selected]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task RequestPage_ShowsThePartnerTheOrganisationAndTheFullMailLog_AndRetryingAFailedEmailIsAudited()
    {
        var (request, partner, organisation) = await OneRequestAsync();
        var failedId = await factory.WithDbAsync(async db =>
        {
            var message = new OutboxMessage
            {
                MessageId = $"<{Guid.NewGuid():N}@test>", AccountRequestId = request.Id, Kind = MailKind.Activation, To = request.CustomerEmail,
                Subject = "Activate", TextBody = "t", HtmlBody = "h", Status = OutboxStatus.Failed, Attempts = 8,
                LastError = "SmtpException: Mailbox unavailable", CreatedAt = factory.Clock.GetUtcNow().UtcDateTime, NextAttemptAt = factory.Clock.GetUtcNow().UtcDateTime,
            };
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync();
            return message.Id;
        });

        var page = await staff.GetPageAsync("/Support/Requests/" + request.Reference);
        var details = page.QuerySelectorAll("dl.details dt").Zip(page.QuerySelectorAll("dl.details dd")).ToDictionary(p => p.First.TextContent, p => p.Second.TextContent.Trim());
        Assert.Equal(partner, details["Partner"]);
        Assert.Equal(organisation, details["Organisation"]);
        var mailRow = page.QuerySelectorAll("#mail-title + .table-region table tbody tr").Single().QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal("Not sent: the portal's mail service did not accept it", mailRow[2]);
        Assert.Equal("8", mailRow[4]);
        Assert.Equal("SmtpException: Mailbox unavailable", mailRow[5]);
        Assert.Equal(
            $"The portal could not send the e-mail to {request.CustomerEmail}: its mail service did not accept it in 8 attempts. The address itself may well be right. Resend the activation e-mail; if that fails too, open a case with licensing support.",
            page.GetElementById("link-failed-title")!.ParentElement!.QuerySelector("p")!.TextContent.Trim());

        var retry = page.Form("form[action*='handler=Retry']");

        // A screen reader hears which e-mail a Retry button retries.
        Assert.Equal($"Retry: {mailRow[0]}", retry.Button("Retry").GetAttribute("aria-label"));
        using (await staff.SubmitAsync(retry, retry.Button("Retry")))
        {
        }

        var message = await factory.WithDbAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == failedId));
        Assert.Equal(OutboxStatus.Pending, message.Status);
        Assert.Equal(0, message.Attempts);
        var after = await staff.GetPageAsync("/Support/Requests/" + request.Reference);
        Assert.Contains("queued again", after.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(after.QuerySelectorAll("#history-title + .table-region table tbody tr"), r => r.TextContent.Contains(staffEmail, StringComparison.Ordinal) && r.TextContent.Contains("Failed e-mail queued again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resend_ByStaff_IsRecordedUnderTheirName()
    {
        var (request, _, _) = await OneRequestAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(11));

        var page = await staff.GetPageAsync("/Support/Requests/" + request.Reference);
        var resend = page.Form("form[action*='handler=Resend']");
        using (await staff.SubmitAsync(resend, resend.Button("Resend activation e-mail")))
        {
        }

        var events = await factory.WithDbAsync(db => db.RequestEvents.Where(e => e.AccountRequestId == request.Id).ToListAsync());
        var resent = Assert.Single(events, e => e.Kind == RequestEventKind.Resent);
        Assert.Equal(staffEmail, resent.Actor);
        Assert.NotEqual(request.ActivationTokenHash, await factory.WithDbAsync(db => db.Requests.Where(r => r.Id == request.Id).Select(r => r.ActivationTokenHash).SingleAsync()));
    }

    [Fact]
    public async Task Cancel_ByStaff_IsConfirmedOnItsOwnPage_NeedsAReason_AndIsRecordedUnderTheirName()
    {
        var (request, _, _) = await OneRequestAsync();
        var page = await staff.GetPageAsync("/Support/Requests/" + request.Reference);
        Assert.Empty(page.QuerySelectorAll("form[action*='Cancel']"));
        var link = Assert.Single(page.QuerySelectorAll(".actions-panel a"), a => a.TextContent == "Cancel request");
        Assert.Equal($"/Support/Requests/{request.Reference}/Cancel", link.GetAttribute("href"));

        var confirm = await staff.GetPageAsync(link.GetAttribute("href")!);
        Assert.Equal($"Cancel the request for {request.AccountName}?", confirm.QuerySelector("h1")!.TextContent);
        var cancel = confirm.Form();
        using var noReason = await staff.SubmitAsync(cancel, cancel.Button("Cancel request"), new Dictionary<string, string> { ["Input.Reason"] = "  " });
        Assert.Equal(HttpStatusCode.OK, noReason.StatusCode);
        var refused = await Html.ReadAsync(noReason);
        var field = refused.GetElementById("Input_Reason")!;
        Assert.Equal("true", field.GetAttribute("aria-invalid"));
        Assert.True(field.HasAttribute("autofocus"), "The field to correct is focused.");
        Assert.Contains("Input_Reason-error", field.GetAttribute("aria-describedby"), StringComparison.Ordinal);
        Assert.Equal("Say why the request is cancelled; the partner reads it.", refused.GetElementById("Input_Reason-error")!.TextContent);
        Assert.Equal(RequestStatus.Pending, await factory.WithDbAsync(db => db.Requests.Where(r => r.Id == request.Id).Select(r => r.Status).SingleAsync()));

        using var withReason = await staff.SubmitAsync(cancel, cancel.Button("Cancel request"), new Dictionary<string, string> { ["Input.Reason"] = "Duplicate of another account." });
        Assert.Equal(HttpStatusCode.Redirect, withReason.StatusCode);
        Assert.Equal($"/Support/Requests/{request.Reference}", withReason.Headers.Location!.OriginalString);
        var cancelled = await factory.WithDbAsync(db => db.Requests.AsNoTracking().Include(r => r.Events).SingleAsync(r => r.Id == request.Id));
        Assert.Equal(RequestStatus.Cancelled, cancelled.Status);
        var entry = cancelled.Events.Single(e => e.Kind == RequestEventKind.CancelledBySupport);
        Assert.Equal(staffEmail, entry.Actor);
        Assert.Equal("Duplicate of another account.", entry.Detail);
        var after = await staff.GetPageAsync("/Support/Requests/" + request.Reference);
        Assert.Contains(after.QuerySelectorAll("#history-caption ~ tbody td"), td => td.TextContent == "Cancelled by licensing support: “Duplicate of another account.”");

        using var again = await staff.GetAsync($"/Support/Requests/{request.Reference}/Cancel");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }

    [Fact]
    public async Task Cancel_ByStaff_TellsTheCustomerItWasLicensingSupportWithoutTheReason_AndThePartnerWithIt()
    {
        var (request, partner, organisation) = await OneRequestAsync();
        await factory.SendMailAsync();
        var confirm = await staff.GetPageAsync($"/Support/Requests/{request.Reference}/Cancel");
        var cancel = confirm.Form();
        using (var _ = await staff.SubmitAsync(cancel, cancel.Button("Cancel request"), new Dictionary<string, string> { ["Input.Reason"] = "Internal: reseller contract under review." }))
        {
        }

        await factory.SendMailAsync();
        var customer = factory.MailTo(request.CustomerEmail).Single(m => m.Subject.Contains("cancelled", StringComparison.Ordinal));
        Assert.Contains("Example Software's licensing support withdrew the Smart Account request that " + organisation, customer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("reseller contract", customer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("reseller contract", customer.Html, StringComparison.Ordinal);
        Assert.DoesNotContain(organisation + " cancelled", customer.Text, StringComparison.Ordinal);

        var told = factory.MailTo(partner).Single(m => m.Subject.StartsWith("Licensing support cancelled", StringComparison.Ordinal));
        Assert.Equal($"Licensing support cancelled your Smart Account request for {request.AccountDomain}", told.Subject);
        Assert.Contains("Internal: reseller contract under review.", told.Text, StringComparison.Ordinal);
        Assert.Contains(request.Reference, told.Text, StringComparison.Ordinal);
        Assert.Contains("/Requests/New?from=" + request.Reference, told.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownReference_Answers404()
    {
        using var response = await staff.GetAsync("/Support/Requests/SA-ZZZZZZZZ");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task SignedOut_IsSentToSignIn()
    {
        using var anonymous = factory.CreatePortalClient();
        using var response = await anonymous.GetAsync("/Support");
        Assert.Contains("/Identity/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("with, comma", "\"with, comma\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    public void CsvField_QuotesAndDefusesFormulas(string value, string expected) =>
        Assert.Equal(expected, Csv.Field(value));
}
