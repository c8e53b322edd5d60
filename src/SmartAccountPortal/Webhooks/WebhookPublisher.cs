using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Api;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Webhooks;

/// <summary>The e-mail a <c>request.mail_failed</c> event is about.</summary>
public sealed record FailedEmail(string Kind, string To, int Attempts, bool AddressRefused);

/// <summary>What an event says: the request as it stands after the change, and what else the event is about.</summary>
public sealed record WebhookData(RequestSummary? Request, FailedEmail? Email = null, string? Endpoint = null);

/// <summary>The body of every delivery: <c>{"type": …, "timestamp": …, "data": …}</c>.</summary>
public sealed record WebhookPayload(string Type, DateTime Timestamp, WebhookData Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>
/// Writes the webhook deliveries a change causes into the outbox: one for each of the
/// organisation's endpoints that wants the event (held at once when the endpoint is paused). It
/// only adds rows to the context, like <see cref="Mail.RequestMailer"/>: the caller's SaveChanges
/// stores them together with the change, in one transaction.
/// </summary>
public sealed class WebhookPublisher(PortalDbContext db, TimeProvider clock)
{
    /// <summary>What every webhook-id begins with.</summary>
    public const string IdPrefix = "msg_";

    /// <summary>A new webhook-id: the same on every attempt and redelivery of one delivery.</summary>
    public static string NewId() => IdPrefix + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    public async Task PublishAsync(AccountRequest request, WebhookEvent e, CancellationToken cancellationToken, FailedEmail? email = null)
    {
        var flag = (int)e;
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(w => w.OrganisationId == request.OrganisationId && ((int)w.Events & flag) != 0)
            .Select(w => new { w.Id, w.PausedAt })
            .ToListAsync(cancellationToken);
        if (endpoints.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var payload = new WebhookPayload(WebhookEvents.TypeOf(e), now, new WebhookData(RequestSummary.Of(request), email)).ToJson();
        foreach (var endpoint in endpoints)
        {
            var delivery = New(endpoint.Id, WebhookEvents.TypeOf(e), payload, endpoint.PausedAt is not null, now);
            // Through the navigation, so a request added in the same SaveChanges gets its key first.
            delivery.Request = request;
            db.WebhookDeliveries.Add(delivery);
        }
    }

    /// <summary>A test event for one endpoint, sent like any other (<b>Send test event</b>).</summary>
    public WebhookDelivery Test(WebhookEndpoint endpoint)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var payload = new WebhookPayload(WebhookEvents.TestType, now, new WebhookData(null, Endpoint: endpoint.Url)).ToJson();
        var delivery = New(endpoint.Id, WebhookEvents.TestType, payload, endpoint.IsPaused, now);
        db.WebhookDeliveries.Add(delivery);
        return delivery;
    }

    /// <summary>The body of a delivery queued unwritten (expiry's), from its request as it now stands.</summary>
    public static string Write(WebhookDelivery delivery, AccountRequest request) =>
        new WebhookPayload(delivery.Event, delivery.CreatedAt, new WebhookData(RequestSummary.Of(request))).ToJson();

    private static WebhookDelivery New(int endpointId, string type, string payload, bool held, DateTime now) => new()
    {
        MessageId = NewId(),
        WebhookEndpointId = endpointId,
        Event = type,
        Payload = payload,
        Status = held ? OutboxStatus.Held : OutboxStatus.Pending,
        CreatedAt = now,
        NextAttemptAt = now,
    };
}
