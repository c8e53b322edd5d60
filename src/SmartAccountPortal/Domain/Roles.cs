namespace SmartAccountPortal.Domain;

public static class Roles
{
    public const string Partner = "Partner";
    public const string Support = "Support";

    public static readonly IReadOnlyList<string> All = [Partner, Support];
}
