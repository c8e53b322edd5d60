namespace SmartAccountPortal.Webhooks;

/// <summary>The changes an endpoint can hear about; an endpoint's subscription is a set of them.</summary>
[Flags]
public enum WebhookEvent
{
    None = 0,
    Submitted = 1,
    Activated = 2,
    Declined = 4,
    Cancelled = 8,
    Expired = 16,
    MailFailed = 32,
}

/// <summary>The events' names on the wire (<c>request.activated</c>) and back.</summary>
public static class WebhookEvents
{
    /// <summary>The type of the event <b>Send test event</b> sends; nobody subscribes to it.</summary>
    public const string TestType = "webhook.test";

    public static readonly IReadOnlyList<WebhookEvent> All =
        [WebhookEvent.Submitted, WebhookEvent.Activated, WebhookEvent.Declined, WebhookEvent.Cancelled, WebhookEvent.Expired, WebhookEvent.MailFailed];

    public static WebhookEvent Every => All.Aggregate(WebhookEvent.None, (set, e) => set | e);

    public static string TypeOf(WebhookEvent e) => e switch
    {
        WebhookEvent.Submitted => "request.submitted",
        WebhookEvent.Activated => "request.activated",
        WebhookEvent.Declined => "request.declined",
        WebhookEvent.Cancelled => "request.cancelled",
        WebhookEvent.Expired => "request.expired",
        WebhookEvent.MailFailed => "request.mail_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(e), e, "One event, not a set."),
    };

    /// <summary>The wire names of the events in <paramref name="set"/>, in the order of <see cref="All"/>.</summary>
    public static IEnumerable<string> TypesIn(WebhookEvent set) => All.Where(e => set.HasFlag(e)).Select(TypeOf);

    /// <summary>The event named <paramref name="type"/>, or None.</summary>
    public static WebhookEvent Parse(string? type) => All.FirstOrDefault(e => TypeOf(e) == type);
}
