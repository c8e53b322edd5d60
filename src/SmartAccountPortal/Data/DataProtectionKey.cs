namespace SmartAccountPortal.Data;

/// <summary>One Data Protection key, shared by every instance of the portal.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public string Xml { get; set; } = "";
}
