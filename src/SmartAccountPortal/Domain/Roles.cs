namespace SmartAccountPortal.Domain;

public static class Roles
{
    public const string Partner = "Partner";
    public const string Support = "Support";

    /// <summary>Vendor staff who manage organisations and every user; they also see what Support sees.</summary>
    public const string Administrator = "Administrator";

    public static readonly IReadOnlyList<string> All = [Partner, Support, Administrator];

    /// <summary>The vendor's own people: they read every customer's request, so they sign in with two factors.</summary>
    public static readonly IReadOnlyList<string> Staff = [Support, Administrator];
}
