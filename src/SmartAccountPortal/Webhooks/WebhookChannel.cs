using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Webhooks;

/// <summary>
/// The outbox's webhook channel: POSTs each delivery to its endpoint, signed, and counts a 2xx
/// answer as delivered. A deleted endpoint's deliveries are withdrawn and a paused one's held.
/// One endpoint's failures never hold up another's (no channel-wide stop, unlike a mail server
/// that is down): once an endpoint has failed, this lane defers its other deliveries for the
/// rest of the batch instead of waiting out its timeout for each. When deliveries fail every
/// attempt several times in a row (Webhooks:PauseAfterFailures), the endpoint is paused and its
/// organisation's administrators are told by e-mail.
/// </summary>
public sealed class WebhookChannel(
    PortalDbContext db,
    IHttpClientFactory clients,
    IDataProtectionProvider protection,
    RequestMailer mailer,
    TimeProvider clock,
    IOptions<WebhookOptions> options,
    ILogger<WebhookChannel> logger) : IOutboxChannel
{
    /// <summary>The named HttpClient deliveries go through (see <see cref="WebhookServices"/>).</summary>
    public const string ClientName = "webhooks";

    public const string SecretProtectionPurpose = "SmartAccountPortal.Webhooks.Secret";

    public OutboxChannel Channel => OutboxChannel.Webhook;

    public int Connections => options.Value.Connections;

    public TimeSpan AttemptTimeout => TimeSpan.FromSeconds(options.Value.TimeoutSeconds);

    public RetryPolicy Retry => new(options.Value.MaxAttempts, options.Value.RetryBaseDelay, options.Value.RetryMaxDelay);

    public async Task PrepareAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        // Tracked, so EF Core sets each delivery's Endpoint (and Request). The endpoints' health is
        // changed in the database (SavingAsync), never through these copies.
        var endpointIds = items.OfType<WebhookDelivery>().Select(d => d.WebhookEndpointId).Distinct().ToList();
        await db.WebhookEndpoints.Where(e => endpointIds.Contains(e.Id)).LoadAsync(cancellationToken);
        var unwritten = items.OfType<WebhookDelivery>().Where(d => d.Payload.Length == 0 && d.AccountRequestId is not null)
            .Select(d => d.AccountRequestId!.Value).Distinct().ToList();
        if (unwritten.Count > 0)
        {
            await db.Requests.Where(r => unwritten.Contains(r.Id)).LoadAsync(cancellationToken);
        }
    }

    public async Task<Attempt> SendAsync(OutboxItem item, CancellationToken cancellationToken)
    {
        var delivery = (WebhookDelivery)item;
        if (delivery.Endpoint is not { } endpoint)
        {
            return Attempt.Withdrawn;
        }

        if (endpoint.IsPaused)
        {
            return Attempt.Held;
        }

        if (failing.Contains(endpoint.Id))
        {
            return Attempt.Deferred;
        }

        if (delivery.Payload.Length == 0)
        {
            if (delivery.Request is not { } request)
            {
                return Attempt.Withdrawn;
            }

            delivery.Payload = WebhookPublisher.Write(delivery, request);
        }

        try
        {
            return await PostAsync(delivery, endpoint, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Whatever else goes wrong with one delivery (a secret that no key decrypts, an
            // address no longer valid) is that delivery's failure, retried and then left Failed,
            // never a stop of the claim.
            delivery.ResponseStatus = null;
            return Attempt.Failed($"{exception.GetType().Name}: {exception.Message}");
        }
    }

    /// <summary>One signed POST, with the endpoint's timeout.</summary>
    private async Task<Attempt> PostAsync(WebhookDelivery delivery, WebhookEndpoint endpoint, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var protector = protection.CreateProtector(SecretProtectionPurpose);
        var secrets = endpoint.SigningSecrets(now.UtcDateTime).Select(protector.Unprotect).ToList();
        using var post = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        post.Headers.Add(WebhookSigning.IdHeader, delivery.MessageId);
        post.Headers.Add(WebhookSigning.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        post.Headers.Add(WebhookSigning.SignatureHeader, WebhookSigning.Header(secrets, delivery.MessageId, timestamp, delivery.Payload));
        post.Headers.UserAgent.Add(new ProductInfoHeaderValue("SmartAccountPortal-Webhooks", "1"));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(AttemptTimeout);
        try
        {
            using var response = await clients.CreateClient(ClientName).SendAsync(post, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            delivery.ResponseStatus = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? Attempt.Sent
                : Attempt.Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            delivery.ResponseStatus = null;
            return Attempt.Failed($"No answer within {options.Value.TimeoutSeconds} s");
        }
        catch (HttpRequestException exception)
        {
            delivery.ResponseStatus = null;
            return Attempt.Failed(Describe(exception));
        }
    }

    /// <summary>
    /// What this claim did to each endpoint's run of failures: whether a delivery got through
    /// (which ends the run) and how many failed every attempt since. Applied in
    /// <see cref="SavingAsync"/>: two lanes may hold the same endpoint, so its counter is
    /// changed in the database, never from a copy.
    /// </summary>
    private readonly Dictionary<int, (bool Delivered, int Failed)> health = [];

    /// <summary>The endpoints that failed in this lane's batch: their other deliveries wait rather than each spending a timeout.</summary>
    private readonly HashSet<int> failing = [];

    public void Sent(OutboxItem item, DateTime now) => health[((WebhookDelivery)item).WebhookEndpointId] = (true, 0);

    public Task FailedAsync(OutboxItem item, bool final, DateTime now, CancellationToken cancellationToken)
    {
        var id = ((WebhookDelivery)item).WebhookEndpointId;
        failing.Add(id);
        if (final)
        {
            var (delivered, failed) = health.GetValueOrDefault(id);
            health[id] = (delivered, failed + 1);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Moves each endpoint's count of deliveries in a row that failed every attempt, and pauses
    /// it when the count reaches Webhooks:PauseAfterFailures. Whoever pauses it (one statement
    /// decides, so one claim of one instance) writes the e-mails to its administrators.
    /// </summary>
    public async Task SavingAsync(DateTime now, CancellationToken cancellationToken)
    {
        foreach (var (id, (delivered, failed)) in health)
        {
            if (delivered)
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE WebhookEndpoints SET FailedDeliveriesInARow = {failed} WHERE Id = {id}", cancellationToken);
            }
            else
            {
                await db.Database.ExecuteSqlInterpolatedAsync($"UPDATE WebhookEndpoints SET FailedDeliveriesInARow = FailedDeliveriesInARow + {failed} WHERE Id = {id}", cancellationToken);
            }

            var threshold = options.Value.PauseAfterFailures;
            if (failed > 0 && await db.Database.ExecuteSqlInterpolatedAsync(
                    $"UPDATE WebhookEndpoints SET PausedAt = {now} WHERE Id = {id} AND PausedAt IS NULL AND FailedDeliveriesInARow >= {threshold}", cancellationToken) == 1)
            {
                await PausedAsync(id, cancellationToken);
            }
        }

        health.Clear();
    }

    /// <summary>Tells the organisation's administrators, each in their language, that the endpoint was paused and why.</summary>
    private async Task PausedAsync(int id, CancellationToken cancellationToken)
    {
        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == id, cancellationToken);
        Log.WebhookEndpointPaused(logger, endpoint.Id, endpoint.FailedDeliveriesInARow);
        // The delivery that paused it failed its last attempt in this claim: its error is the last answer.
        var lastError = db.ChangeTracker.Entries<WebhookDelivery>().Where(e => e.Entity.WebhookEndpointId == id && e.Entity.Status == OutboxStatus.Failed)
            .Select(e => e.Entity.LastError).LastOrDefault();
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == endpoint.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        var administrators = await db.Users.AsNoTracking()
            .Where(u => u.OrganisationId == endpoint.OrganisationId && u.AdministersOrganisation && u.DeactivatedAt == null && u.Email != null)
            .Select(u => new { Email = u.Email!, u.PreferredLanguage })
            .ToListAsync(cancellationToken);
        foreach (var administrator in administrators)
        {
            await mailer.WebhookPausedAsync(endpoint, organisation, lastError, administrator.Email, administrator.PreferredLanguage ?? Localization.Texts.DefaultCulture);
        }
    }

    /// <summary>What went wrong, from the innermost cause (a refused address, a refused connection, a bad certificate).</summary>
    private static string Describe(Exception exception)
    {
        var innermost = exception;
        while (innermost.InnerException is { } inner)
        {
            innermost = inner;
        }

        return innermost == exception ? exception.Message : $"{exception.Message} {innermost.Message}";
    }
}
