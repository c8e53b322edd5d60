using System.Security.Cryptography;
using System.Text;

namespace SmartAccountPortal.Webhooks;

/// <summary>
/// Signatures following the Standard Webhooks scheme: the secret is <c>whsec_</c> and 32 random
/// bytes in Base64; each delivery carries <c>webhook-id</c>, <c>webhook-timestamp</c> (Unix
/// seconds) and <c>webhook-signature</c>, a space-separated list of <c>v1,</c> and the Base64
/// HMAC-SHA256 of <c>id.timestamp.body</c>, one for each secret that signs.
/// </summary>
public static class WebhookSigning
{
    public const string SecretPrefix = "whsec_";

    public const string IdHeader = "webhook-id";

    public const string TimestampHeader = "webhook-timestamp";

    public const string SignatureHeader = "webhook-signature";

    /// <summary>A new secret, in the form receivers' Standard Webhooks libraries take.</summary>
    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The <c>v1,…</c> signature of one delivery with one secret.</summary>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret[SecretPrefix.Length..]);
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}");
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per secret.</summary>
    public static string Header(IEnumerable<string> secrets, string id, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, id, timestamp, body)));
}
