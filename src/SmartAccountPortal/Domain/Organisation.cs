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
}
