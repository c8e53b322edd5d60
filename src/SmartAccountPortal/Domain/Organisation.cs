namespace SmartAccountPortal.Domain;

/// <summary>A partner company. Partners see the requests of their own organisation.</summary>
public sealed class Organisation
{
    private Organisation()
    {
    }

    public Organisation(string name) => Name = name;

    public int Id { get; private set; }

    public string Name { get; private set; } = "";

    /// <summary>Its partners must sign in with an authenticator app; their administrator decides.</summary>
    public bool RequiresTwoFactor { get; set; }

    public void Rename(string name) => Name = name;
}
