using System.Security.Cryptography;

namespace SmartAccountPortal.Domain;

/// <summary>Random request references such as SA-7KQ2M9XD.</summary>
public static class ReferenceGenerator
{
    // No 0/O, 1/I/L or U: easy to read out on the phone to support.
    private const string Alphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

    public const string Prefix = "SA-";

    public const int Length = 8;

    public static string Next() => Prefix + new string(RandomNumberGenerator.GetItems<char>(Alphabet, Length));
}
