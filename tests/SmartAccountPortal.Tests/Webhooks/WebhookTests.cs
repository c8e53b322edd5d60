using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;
using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Tests.Webhooks;

/// <summary>Webhooks to a real HTTPS receiver: registered in the browser, written with the change, signed, retried, paused, redelivered.</summary>
public sealed class WebhookTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private WebhookPortal Portal => fixture.Portal;

    private WebhookReceiver Receiver => fixture.Receiver;

    /// <summary>An organisation administrator of a new organisation with an endpoint added on the Webhooks page.</summary>
    private sealed record Registered(HttpClient Admin, string AdminEmail, string Organisation, int EndpointId, string Secret, string Path);

    private async Task<Registered> RegisterAsync(params WebhookEvent[] events)
    {
        var organisation = "Hooked " + Guid.NewGuid().ToString("N")[..8];
        var (admin, email) = await Portal.NewOrganisationAdministratorAsync(organisation);
        var path = "/hooks/" + Guid.NewGuid().ToString("N");
        var (id, secret) = await WebhookSteps.AddEndpointAsync(admin, Receiver.Url(path), events);
        return new Registered(admin, email, organisation, id, secret, path);
    }

    private List<ReceivedWebhook> ReceivedAt(string path) => Receiver.All().Where(w => w.Path == path).ToList();

    private static JsonNode Json(ReceivedWebhook webhook) => JsonNode.Parse(webhook.Body)!;

    private Task<List<WebhookDelivery>> DeliveriesAsync(int endpointId) =>
        Portal.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().Where(d => d.WebhookEndpointId == endpointId).OrderBy(d => d.Id).ToListAsync());

    private async Task<AccountRequest> SubmitAsync(Registered hook)
    {
        var (partner, _) = await Portal.NewPartnerAsync(hook.Organisation);
        using (partner)
        {
            return await Portal.SubmitAsync(partner, RequestSteps.NewDomain());
        }
    }

    private async Task ActivateAsync(AccountRequest request)
    {
        var mail = Portal.MailTo(request.CustomerEmail).Single(m => m.Subject.StartsWith("Activate", StringComparison.Ordinal));
        var link = new Uri(MailText.Link(mail.Text, "https://portal.test/Activation/")).AbsolutePath;
        using var customer = Portal.CreatePortalClient();
        var page = await customer.GetPageAsync(link);
        var form = page.FormWith("Activate Smart Account");
        using var answer = await customer.SubmitAsync(form, form.Button("Activate Smart Account"));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
    }

    [Fact]
    public async Task SubmissionAndActivation_AreDelivered_SignedWithTheSecretShownOnce()
    {
        var hook = await RegisterAsync();
        var request = await SubmitAsync(hook);

        // Written with the change, before anything is sent.
        var queued = Assert.Single(await DeliveriesAsync(hook.EndpointId));
        Assert.Equal(("request.submitted", OutboxStatus.Pending, request.Id), (queued.Event, queued.Status, queued.AccountRequestId!.Value));

        await Portal.SendMailAsync();
        await ActivateAsync(request);
        await Portal.SendMailAsync();

        var received = ReceivedAt(hook.Path);
        Assert.Equal(["request.submitted", "request.activated"], received.Select(w => Json(w)["type"]!.GetValue<string>()));
        Assert.All(received, w =>
        {
            Assert.True(WebhookReceiver.SignedWith(w, hook.Secret), "The signature does not verify with the endpoint's secret.");
            Assert.False(WebhookReceiver.SignedWith(w, WebhookSigning.NewSecret()), "Any secret verifies.");
            Assert.Matches("^msg_[0-9a-f]{32}$", w.Id);
            Assert.InRange(long.Parse(w.Timestamp, System.Globalization.CultureInfo.InvariantCulture), Portal.Clock.GetUtcNow().ToUnixTimeSeconds() - 5, Portal.Clock.GetUtcNow().ToUnixTimeSeconds());
        });
        Assert.NotEqual(received[0].Id, received[1].Id);
        var activated = Json(received[1])["data"]!["request"]!;
        Assert.Equal((request.Reference, "active", request.CustomerEmail), (activated["reference"]!.GetValue<string>(), activated["state"]!.GetValue<string>(), activated["customerEmail"]!.GetValue<string>()));

        // The delivery log shows both, delivered with the receiver's answer.
        var log = await hook.Admin.GetPageAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
        var rows = log.QuerySelectorAll("#deliveries tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Contains("Delivered", r, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains("HTTP 200", r, StringComparison.Ordinal));
        Assert.Contains(request.Reference, rows[0], StringComparison.Ordinal);

        // The secret is shown once: the endpoint's page never shows it again.
        Assert.DoesNotContain(hook.Secret, log.DocumentElement.OuterHtml, StringComparison.Ordinal);
        Assert.DoesNotContain(hook.Secret, string.Join("\n", Portal.Logs.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheChosenEvents_AndOnlyTheOrganisationsOwnRequests_AreDelivered()
    {
        var activationsOnly = await RegisterAsync(WebhookEvent.Activated);
        var other = await RegisterAsync();
        var request = await SubmitAsync(activationsOnly);
        await Portal.SendMailAsync();
        Assert.Empty(ReceivedAt(activationsOnly.Path));

        await ActivateAsync(request);
        await Portal.SendMailAsync();
        Assert.Equal("request.activated", Json(Assert.Single(ReceivedAt(activationsOnly.Path)))["type"]!.GetValue<string>());
        Assert.Empty(ReceivedAt(other.Path));
    }

    [Fact]
    public async Task Expiry_IsDelivered_FromTheSetBasedBatch_WrittenWhenSent()
    {
        var hook = await RegisterAsync(WebhookEvent.Expired);
        var request = await SubmitAsync(hook);
        Portal.Clock.Advance(AccountRequest.DefaultExpiresAfter + TimeSpan.FromMinutes(1));
        using (var scope = Portal.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Background.RequestExpiry>().ExpireDueAsync(CancellationToken.None);
        }

        var queued = Assert.Single(await DeliveriesAsync(hook.EndpointId));
        Assert.Equal(("request.expired", ""), (queued.Event, queued.Payload));

        await Portal.SendMailAsync();
        var expired = Json(Assert.Single(ReceivedAt(hook.Path)));
        Assert.Equal("request.expired", expired["type"]!.GetValue<string>());
        Assert.Equal((request.Reference, "expired"), (expired["data"]!["request"]!["reference"]!.GetValue<string>(), expired["data"]!["request"]!["state"]!.GetValue<string>()));
        Assert.True(WebhookReceiver.SignedWith(Assert.Single(ReceivedAt(hook.Path)), hook.Secret));
        Assert.NotEqual("", Assert.Single(await DeliveriesAsync(hook.EndpointId)).Payload);
    }

    [Fact]
    public async Task A500_AndAReceiverThatIsDown_AreRetriedWithBackoff_WithTheSameWebhookId()
    {
        var hook = await RegisterAsync(WebhookEvent.Submitted);
        Receiver.Answer = HttpStatusCode.InternalServerError;
        try
        {
            await SubmitAsync(hook);
            await Portal.SendMailAsync();
            var first = Assert.Single(await DeliveriesAsync(hook.EndpointId));
            Assert.Equal((OutboxStatus.Pending, 1, 500), (first.Status, first.Attempts, first.ResponseStatus!.Value));
            Assert.StartsWith("HTTP 500", first.LastError, StringComparison.Ordinal);
            Assert.True(first.NextAttemptAt > Portal.Clock.GetUtcNow().UtcDateTime, "A failed delivery must wait before its next attempt.");

            // Not due yet: nothing is sent again.
            await Portal.SendMailAsync();
            Assert.Single(ReceivedAt(hook.Path));

            // Down: the connection is refused.
            await Receiver.StopAsync();
            Portal.Clock.Advance(TimeSpan.FromMinutes(2));
            await Portal.SendMailAsync();
            var second = Assert.Single(await DeliveriesAsync(hook.EndpointId));
            Assert.Equal((OutboxStatus.Pending, 2, (int?)null), (second.Status, second.Attempts, second.ResponseStatus));
            Assert.NotNull(second.LastError);
        }
        finally
        {
            Receiver.Answer = HttpStatusCode.OK;
            await Receiver.StartAgainAsync();
        }

        Portal.Clock.Advance(TimeSpan.FromMinutes(5));
        await Portal.SendMailAsync();
        var delivered = Assert.Single(await DeliveriesAsync(hook.EndpointId));
        Assert.Equal((OutboxStatus.Sent, 3), (delivered.Status, delivered.Attempts));
        var received = ReceivedAt(hook.Path);
        Assert.Equal(2, received.Count);
        Assert.Equal(received[0].Id, received[1].Id);
        Assert.Equal(received[0].Body, received[1].Body);
        Assert.All(received, w => Assert.True(WebhookReceiver.SignedWith(w, hook.Secret)));
    }

    [Fact]
    public async Task RepeatedFailures_PauseTheEndpoint_TellItsAdministrators_AndResumeSendsWhatWasHeld()
    {
        var hook = await RegisterAsync(WebhookEvent.Submitted);
        Receiver.Answer = HttpStatusCode.ServiceUnavailable;
        try
        {
            // Two deliveries fail all three attempts (Webhooks:MaxAttempts): the second pauses the endpoint.
            // (A lane that saw the endpoint fail defers its other delivery a minute: a few more ticks.)
            await SubmitAsync(hook);
            await SubmitAsync(hook);
            for (var tick = 0; tick < 12 && (await DeliveriesAsync(hook.EndpointId)).Any(d => d.Status != OutboxStatus.Failed); tick++)
            {
                await Portal.SendMailAsync();
                Portal.Clock.Advance(TimeSpan.FromMinutes(10));
            }

            var failed = await DeliveriesAsync(hook.EndpointId);
            Assert.All(failed, d => Assert.Equal((OutboxStatus.Failed, 3), (d.Status, d.Attempts)));
            var endpoint = await Portal.WithDbAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == hook.EndpointId));
            Assert.True(endpoint.IsPaused);

            // Its administrator hears it by e-mail, with the last answer and a link to the endpoint.
            await Portal.SendMailAsync();
            var notice = Assert.Single(Portal.MailTo(hook.AdminEmail), m => m.Subject == "A webhook endpoint of yours is paused");
            Assert.Contains(Receiver.Url(hook.Path), notice.Text, StringComparison.Ordinal);
            Assert.Contains("HTTP 503", notice.Text, StringComparison.Ordinal);
            Assert.Contains($"https://portal.test/Organisation/Webhooks/Endpoint/{hook.EndpointId}", notice.Text, StringComparison.Ordinal);

            // A new event is held while paused, not sent.
            await SubmitAsync(hook);
            await Portal.SendMailAsync();
            Assert.Equal(OutboxStatus.Held, (await DeliveriesAsync(hook.EndpointId))[^1].Status);
            Assert.Equal(6, ReceivedAt(hook.Path).Count);
        }
        finally
        {
            Receiver.Answer = HttpStatusCode.OK;
        }

        var page = await hook.Admin.GetPageAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
        Assert.Contains("Paused since", page.QuerySelector("#endpoint-state")!.TextContent, StringComparison.Ordinal);
        var resume = page.FormWith("Resume");
        using (var resumed = await hook.Admin.SubmitAsync(resume, resume.Button("Resume")))
        {
            Assert.Equal(HttpStatusCode.Redirect, resumed.StatusCode);
        }

        await Portal.SendMailAsync();
        var after = await DeliveriesAsync(hook.EndpointId);
        Assert.Equal(OutboxStatus.Sent, after[^1].Status);
        Assert.Equal(7, ReceivedAt(hook.Path).Count);

        // A failed one goes again with Redeliver, under its own webhook-id.
        var log = await hook.Admin.GetPageAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
        var redeliver = log.QuerySelectorAll("#deliveries form").Cast<IHtmlFormElement>().Last();
        using (var again = await hook.Admin.SubmitAsync(redeliver, redeliver.Button("Redeliver")))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }

        await Portal.SendMailAsync();
        var received = ReceivedAt(hook.Path);
        Assert.Equal(8, received.Count);
        Assert.Equal(after[0].MessageId, received[^1].Id);
        Assert.Equal(OutboxStatus.Sent, (await DeliveriesAsync(hook.EndpointId))[0].Status);

        var audit = await Portal.WithDbAsync(db => db.AuditEntries.AsNoTracking().Where(e => e.Subject == Receiver.Url(hook.Path)).Select(e => e.Action).ToListAsync());
        Assert.Equal([AuditAction.WebhookCreated, AuditAction.WebhookResumed], audit);
    }

    [Fact]
    public async Task TwoProcessorsAtOnce_DeliverEveryEventExactlyOnce()
    {
        var hook = await RegisterAsync();
        using (var scope = Portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
            var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == hook.EndpointId);
            var publisher = scope.ServiceProvider.GetRequiredService<WebhookPublisher>();
            for (var i = 0; i < 40; i++)
            {
                publisher.Test(endpoint);
            }

            await db.SaveChangesAsync();
        }

        using var first = Portal.Services.CreateScope();
        using var second = Portal.Services.CreateScope();
        var a = ActivatorUtilities.CreateInstance<OutboxSender>(first.ServiceProvider, new WorkerIdentity("instance-a"));
        var b = ActivatorUtilities.CreateInstance<OutboxSender>(second.ServiceProvider, new WorkerIdentity("instance-b"));
        await Task.WhenAll(a.SendDueAsync(CancellationToken.None), b.SendDueAsync(CancellationToken.None));

        var received = ReceivedAt(hook.Path);
        var deliveries = await DeliveriesAsync(hook.EndpointId);
        Assert.Equal(40, received.Count);
        Assert.Equal(deliveries.Select(d => d.MessageId).Order(), received.Select(w => w.Id).Order());
        Assert.All(deliveries, d => Assert.Equal((OutboxStatus.Sent, 1), (d.Status, d.Attempts)));
        Assert.All(received, w => Assert.Equal("webhook.test", Json(w)["type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SendTestEvent_AndARotatedSecret_SignWithBothSecretsDuringTheOverlap_ThenWithTheNewOne()
    {
        var hook = await RegisterAsync();
        var page = await hook.Admin.GetPageAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
        var rotate = page.FormWith("Rotate the secret");
        using var rotated = await hook.Admin.SubmitAsync(rotate, rotate.Button("Rotate the secret"));
        Assert.True(rotated.Headers.CacheControl?.NoStore);
        var newSecret = (await Html.ReadAsync(rotated)).QuerySelector("#new-secret")!.TextContent;
        Assert.NotEqual(hook.Secret, newSecret);

        async Task<ReceivedWebhook> TestEventAsync()
        {
            var endpointPage = await hook.Admin.GetPageAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
            var test = endpointPage.FormWith("Send test event");
            using var sent = await hook.Admin.SubmitAsync(test, test.Button("Send test event"));
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
            await Portal.SendMailAsync();
            return ReceivedAt(hook.Path)[^1];
        }

        var during = await TestEventAsync();
        Assert.Equal("webhook.test", Json(during)["type"]!.GetValue<string>());
        Assert.Equal(2, during.Signature.Split(' ').Length);
        Assert.True(WebhookReceiver.SignedWith(during, newSecret));
        Assert.True(WebhookReceiver.SignedWith(during, hook.Secret));

        Portal.Clock.Advance(TimeSpan.FromMinutes(11)); // Webhooks:PreviousSecretValidFor here
        var after = await TestEventAsync();
        Assert.Single(after.Signature.Split(' '));
        Assert.True(WebhookReceiver.SignedWith(after, newSecret));
        Assert.False(WebhookReceiver.SignedWith(after, hook.Secret));
    }

    [Fact]
    public async Task AnotherOrganisationsEndpoint_IsNotFound_AndBadInputIsRefusedNextToTheField()
    {
        var hook = await RegisterAsync();
        var (stranger, _) = await Portal.NewOrganisationAdministratorAsync("Strangers " + Guid.NewGuid().ToString("N")[..8]);
        using (var response = await stranger.GetAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var page = await hook.Admin.GetPageAsync("/Organisation/Webhooks");
        var form = page.Form("#add-form");
        form.Tick("Events", value => false);

        using var refused = await hook.Admin.SubmitAsync(form, form.Button("Add the endpoint"), new Dictionary<string, string> { ["Address"] = "http://crm.example.com/hooks" });
        var answer = await Html.ReadAsync(refused);
        Assert.Equal("Enter a full address beginning with https://.", answer.QuerySelector("#Address-error")!.TextContent.Trim());
        Assert.Equal("Choose at least one event.", answer.QuerySelector("#Events-error")!.TextContent.Trim());
        Assert.Single(await Portal.WithDbAsync(db => db.WebhookEndpoints.Where(e => e.Url.Contains(hook.Path)).ToListAsync()));
    }

    [Fact]
    public async Task TheApisSubmissionAndCancellation_AndACustomersDecline_AreDelivered()
    {
        var hook = await RegisterAsync(WebhookEvent.Submitted, WebhookEvent.Cancelled, WebhookEvent.Declined);
        var partner = await Portal.CreateUserAsync($"api-{Guid.NewGuid():N}@example.com", organisation: hook.Organisation);
        string key;
        using (var scope = Portal.Services.CreateScope())
        {
            key = (await scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Api.ApiKeys>().CreateAsync(partner.OrganisationId!.Value, "CRM", partner, CancellationToken.None)).Secret;
        }

        using var api = Portal.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        var domain = RequestSteps.NewDomain();
        using var created = await api.PostAsJsonAsync("/api/v1/requests", new { accountName = "Contoso", customerEmail = $"it@{domain}", accountDomain = domain, customerLanguage = "en" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var reference = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["reference"]!.GetValue<string>();
        using var cancelled = await api.PostAsJsonAsync($"/api/v1/requests/{reference}/cancel", new { reason = "Ordered by mistake." });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);

        // A second request, declined by its customer.
        var declined = await SubmitAsync(hook);
        await Portal.SendMailAsync();
        var mail = Portal.MailTo(declined.CustomerEmail).Single(m => m.Subject.StartsWith("Activate", StringComparison.Ordinal));
        using var customer = Portal.CreatePortalClient();
        var page = await customer.GetPageAsync(new Uri(MailText.Link(mail.Text, "https://portal.test/Activation/")).AbsolutePath);
        var decline = page.FormWith("Decline");
        using var asked = await customer.SubmitAsync(decline, decline.Button("Decline"), new Dictionary<string, string> { ["Decline.Reason"] = "Not now." });
        var confirm = (await Html.ReadAsync(asked)).Form("main form");
        using var answered = await customer.SubmitAsync(confirm, confirm.Button("Yes, decline"));
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        await Portal.SendMailAsync();

        var events = ReceivedAt(hook.Path).Select(w => (Type: Json(w)["type"]!.GetValue<string>(), Reference: Json(w)["data"]!["request"]!["reference"]!.GetValue<string>(), State: Json(w)["data"]!["request"]!["state"]!.GetValue<string>())).ToList();
        // Deliveries go out side by side: in no promised order (each carries its event's time).
        (string, string, string)[] expected =
            [("request.submitted", reference, "pending"), ("request.cancelled", reference, "cancelled"), ("request.submitted", declined.Reference, "pending"), ("request.declined", declined.Reference, "declined")];
        Assert.Equal(expected.Order(), events.Order());
    }

    [Fact]
    public async Task DeletingAnEndpoint_StopsItsDeliveries_AndIsAudited()
    {
        var hook = await RegisterAsync(WebhookEvent.Submitted);
        await SubmitAsync(hook);
        var page = await hook.Admin.GetPageAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
        var delete = page.FormWith("Delete the endpoint");
        using (var deleted = await hook.Admin.SubmitAsync(delete, delete.Button("Delete the endpoint")))
        {
            Assert.Equal("/Organisation/Webhooks", deleted.Headers.Location?.OriginalString);
        }

        await SubmitAsync(hook);
        await Portal.SendMailAsync();
        Assert.Empty(ReceivedAt(hook.Path));
        Assert.Empty(await DeliveriesAsync(hook.EndpointId));
        Assert.Equal(1, await Portal.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.WebhookDeleted && e.Subject == Receiver.Url(hook.Path))));
        using var gone = await hook.Admin.GetAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task AFailingEndpoint_CostsOneAttemptPerLane_ItsOtherDeliveriesWaitWithoutSpendingOne()
    {
        var hook = await RegisterAsync();
        using (var scope = Portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
            var endpoint = await db.WebhookEndpoints.SingleAsync(e => e.Id == hook.EndpointId);
            var publisher = scope.ServiceProvider.GetRequiredService<WebhookPublisher>();
            for (var i = 0; i < 12; i++)
            {
                publisher.Test(endpoint);
            }

            await db.SaveChangesAsync();
        }

        Receiver.Answer = HttpStatusCode.InternalServerError;
        try
        {
            await Portal.SendMailAsync();
        }
        finally
        {
            Receiver.Answer = HttpStatusCode.OK;
        }

        // At most one attempt per lane (Webhooks:Connections, 4); the rest were not tried and spent nothing.
        var tried = ReceivedAt(hook.Path).Count;
        Assert.InRange(tried, 1, 4);
        var deliveries = await DeliveriesAsync(hook.EndpointId);
        Assert.Equal(tried, deliveries.Count(d => d.Attempts == 1));
        Assert.All(deliveries.Where(d => d.Attempts == 0), d =>
        {
            Assert.Equal(OutboxStatus.Pending, d.Status);
            Assert.True(d.NextAttemptAt > Portal.Clock.GetUtcNow().UtcDateTime);
        });

        // Due again later, every one goes out, once.
        Portal.Clock.Advance(TimeSpan.FromMinutes(5));
        await Portal.SendMailAsync();
        Assert.All(await DeliveriesAsync(hook.EndpointId), d => Assert.Equal(OutboxStatus.Sent, d.Status));
        Assert.Equal(12, ReceivedAt(hook.Path).Select(w => w.Id).Distinct().Count());
    }

    [Fact]
    public async Task Staff_SeeAnOrganisationsEndpoints_AndWhetherTheyArePaused_WithoutTheirPages()
    {
        var hook = await RegisterAsync();
        var page = await hook.Admin.GetPageAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
        var pause = page.FormWith("Pause");
        using (var paused = await hook.Admin.SubmitAsync(pause, pause.Button("Pause")))
        {
            Assert.Equal(HttpStatusCode.Redirect, paused.StatusCode);
        }

        var organisationId = await Portal.WithDbAsync(db => db.WebhookEndpoints.Where(e => e.Id == hook.EndpointId).Select(e => e.OrganisationId).SingleAsync());
        var (support, _) = await Portal.NewSupportAsync();
        var staffPage = await support.GetPageAsync($"/Staff/Organisations/Organisation/{organisationId}");
        var row = staffPage.QuerySelector("#webhooks-heading")!.ParentElement!.QuerySelector("tbody tr")!;
        Assert.Contains(Receiver.Url(hook.Path), row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Paused since", row.TextContent, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector("a"));

        // The endpoint's own page is the organisation's administrators' only.
        using var denied = await support.GetAsync($"/Organisation/Webhooks/Endpoint/{hook.EndpointId}");
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
        Assert.Equal(1, await Portal.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Action == AuditAction.WebhookPaused && e.Subject == Receiver.Url(hook.Path))));
    }

    [Fact]
    public async Task ASecretThatCannotBeRead_FailsThatDeliveryOnly_AndOthersGoOut()
    {
        var broken = await RegisterAsync();
        var working = await RegisterAsync();
        await Portal.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE WebhookEndpoints SET ProtectedSecret = 'not-a-protected-secret' WHERE Id = {broken.EndpointId}"));
        using (var scope = Portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Data.PortalDbContext>();
            var publisher = scope.ServiceProvider.GetRequiredService<WebhookPublisher>();
            foreach (var endpoint in await db.WebhookEndpoints.Where(e => e.Id == broken.EndpointId || e.Id == working.EndpointId).ToListAsync())
            {
                publisher.Test(endpoint);
            }

            await db.SaveChangesAsync();
        }

        await Portal.SendMailAsync();
        Assert.Empty(ReceivedAt(broken.Path));
        Assert.Single(ReceivedAt(working.Path));
        var failed = Assert.Single(await DeliveriesAsync(broken.EndpointId));
        Assert.Equal((OutboxStatus.Pending, 1), (failed.Status, failed.Attempts));
        Assert.StartsWith("CryptographicException", failed.LastError, StringComparison.Ordinal);
    }
}
