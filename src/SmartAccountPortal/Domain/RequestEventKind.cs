namespace SmartAccountPortal.Domain;

/// <summary>What happened to a request; one row of its history. Stored as text.</summary>
public enum RequestEventKind
{
    Submitted,
    Activated,
    Declined,
    Cancelled,
    Expired,
}
