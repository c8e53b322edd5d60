namespace SmartAccountPortal.Domain;

/// <summary>Where a Smart Account request stands. Stored as text.</summary>
public enum RequestStatus
{
    Pending,
    Active,
    Declined,
    Cancelled,
    Expired,
}
