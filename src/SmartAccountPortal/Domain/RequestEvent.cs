namespace SmartAccountPortal.Domain;

/// <summary>One entry in a request's history: who did what, and when.</summary>
public sealed class RequestEvent
{
    private RequestEvent()
    {
    }

    internal RequestEvent(RequestEventKind kind, string actor, DateTime at, string? detail)
    {
        Kind = kind;
        Actor = actor;
        At = at;
        Detail = detail;
    }

    /// <summary>The actor of what the portal does by itself (sending e-mail, expiring).</summary>
    public const string SystemActor = "system";

    /// <summary>An entry added without loading the request (the mail sender's), so it never races a state change.</summary>
    public static RequestEvent ForRequest(int requestId, RequestEventKind kind, string actor, DateTime at, string? detail) =>
        new(kind, actor, at, detail) { AccountRequestId = requestId };

    public long Id { get; private set; }

    public int AccountRequestId { get; private set; }

    public RequestEventKind Kind { get; private set; }

    /// <summary>The e-mail of the person who acted (the customer's for their answers), or <see cref="SystemActor"/>.</summary>
    public string Actor { get; private set; } = "";

    public DateTime At { get; private set; }

    public string? Detail { get; private set; }
}
