using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace SmartAccountPortal.Mail;

/// <summary>Activation tokens: 32 random bytes, Base64Url in the link, SHA-256 in the database.</summary>
public static class ActivationTokens
{
    public const int EncodedLength = 43;

    public static (string Token, string Hash) Create()
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    /// <summary>The shape of a token, checked before any database look-up.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: EncodedLength } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
