using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Webhooks;

/// <summary>
/// One event for one endpoint, in the outbox (see <see cref="OutboxItem"/>): written in the
/// same transaction as the change, POSTed by the background service, signed with the
/// endpoint's secret. Its <see cref="OutboxItem.MessageId"/> is the <c>webhook-id</c>, the same
/// on every attempt and redelivery, so a receiver can recognise a duplicate.
/// </summary>
public sealed class WebhookDelivery : OutboxItem
{
    public int WebhookEndpointId { get; set; }

    public Domain.WebhookEndpoint? Endpoint { get; set; }

    /// <summary>The event's type, <c>request.activated</c> or <see cref="WebhookEvents.TestType"/>.</summary>
    public string Event { get; set; } = "";

    /// <summary>
    /// The JSON body. Empty until written: expiry's deliveries are queued set-based, unwritten,
    /// and written from their (closed, so unchanging) request when sent.
    /// </summary>
    public string Payload { get; set; } = "";

    /// <summary>The HTTP status of the last attempt's answer, if there was one.</summary>
    public int? ResponseStatus { get; set; }
}
