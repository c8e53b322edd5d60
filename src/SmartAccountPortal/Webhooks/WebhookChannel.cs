using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Data;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;
using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Webhooks;

/// <summary>
/// The outbox's webhook channel: POSTs each delivery to its endpoint, signed, and counts a 2xx
/// answer as delivered. A deleted endpoint's deliveries are withdrawn and a paused one's held.
/// One endpoint's failures never hold up another's (no channel-wide stop, unlike a mail server
/// that is down). When deliveries fail every attempt several times in a row
/// (Webhooks:PauseAfterFailures), the endpoint is paused and its organisation's administrators
/// are told by e-mail.
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
        // Tracked, so EF Core sets each delivery's Endpoint (and Request) and a success or a pause is saved with the claim.
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

        if (delivery.Payload.Length == 0)
        {
            if (delivery.Request is not { } request)
            {
                return Attempt.Withdrawn;
            }

            delivery.Payload = WebhookPublisher.Write(delivery, request);
        }

        var now = clock.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var protector = protection.CreateProtector(SecretProtectionPurpose);
        var secrets = endpoint.SigningSecrets(now.UtcDateTime).Select(protector.Unprotect);
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

    public void Sent(OutboxItem item, DateTime now) => ((WebhookDelivery)item).Endpoint?.Delivered();

    public async Task FailedAsync(OutboxItem item, bool final, DateTime now, CancellationToken cancellationToken)
    {
        var delivery = (WebhookDelivery)item;
        if (!final || delivery.Endpoint is not { } endpoint || !endpoint.DeliveryFailed(options.Value.PauseAfterFailures, now))
        {
            return;
        }

        Log.WebhookEndpointPaused(logger, endpoint.Id, endpoint.FailedDeliveriesInARow);
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == endpoint.OrganisationId).Select(o => o.Name).SingleAsync(cancellationToken);
        var administrators = await db.Users.AsNoTracking()
            .Where(u => u.OrganisationId == endpoint.OrganisationId && u.AdministersOrganisation && u.DeactivatedAt == null && u.Email != null)
            .Select(u => new { Email = u.Email!, u.PreferredLanguage })
            .ToListAsync(cancellationToken);
        foreach (var administrator in administrators)
        {
            await mailer.WebhookPausedAsync(endpoint, organisation, delivery.LastError, administrator.Email, administrator.PreferredLanguage ?? Localization.Texts.DefaultCulture);
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
