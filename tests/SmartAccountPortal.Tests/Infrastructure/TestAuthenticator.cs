using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>
/// The authenticator app of the tests' people: staff are created with one (as they must sign
/// in with it), and the sign-in helpers type its current code when the portal asks.
/// </summary>
public static class TestAuthenticator
{
    private static readonly ConcurrentDictionary<string, string> Keys = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Links a new authenticator key to <paramref name="user"/> and turns two-factor sign-in on; returns the key.</summary>
    public static async Task<string> SetUpAsync(UserManager<PortalUser> users, PortalUser user)
    {
        await users.ResetAuthenticatorKeyAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
        var key = (await users.GetAuthenticatorKeyAsync(user))!;
        Keys[user.Email!] = key;
        return key;
    }

    /// <summary>The key of <paramref name="email"/>'s app, when they have one.</summary>
    public static string? KeyOf(string email) => Keys.TryGetValue(email, out var key) ? key : null;

    /// <summary>The code <paramref name="email"/>'s app shows now.</summary>
    public static string CodeFor(string email) =>
        Totp(KeyOf(email) ?? throw new InvalidOperationException($"{email} has no authenticator app."), DateTimeOffset.UtcNow);

    /// <summary>The 6-digit code an authenticator app shows at <paramref name="at"/> for a Base32 key (RFC 6238: HMAC-SHA1, 30 s steps).</summary>
    public static string Totp(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key);
        var counter = BitConverter.GetBytes(at.ToUnixTimeSeconds() / 30);
        if (BitConverter.IsLittleEndian)
        {
            Array.Reverse(counter);
        }

#pragma warning disable CA5350 // RFC 6238 authenticator codes are defined over HMAC-SHA1; this computes one as an app does.
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0f;
        var value = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bits = string.Concat(text.TrimEnd('=').ToUpperInvariant().Select(c => Convert.ToString(alphabet.IndexOf(c, StringComparison.Ordinal), 2).PadLeft(5, '0')));
        return Enumerable.Range(0, bits.Length / 8).Select(i => Convert.ToByte(bits.Substring(i * 8, 8), 2)).ToArray();
    }
}
