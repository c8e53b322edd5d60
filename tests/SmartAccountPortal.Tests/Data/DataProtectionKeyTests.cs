using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Data;

/// <summary>A portal given a certificate for its Data Protection keys.</summary>
public sealed class KeyCertificateFactory : PortalFactory
{
    private readonly string certificate = WriteCertificate();

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("DataProtection:CertificatePath", certificate),
        new("DataProtection:CertificatePassword", "key-password"),
    ];

    private static string WriteCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(
            "CN=Smart Account Portal keys", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(Path.GetTempPath(), $"portal-keys-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, created.Export(X509ContentType.Pfx, "key-password"));
        return path;
    }
}

public sealed class DataProtectionKeyTests(KeyCertificateFactory factory) : IClassFixture<KeyCertificateFactory>
{
    [Fact]
    public async Task WithACertificate_KeysAreEncryptedInTheDatabase_AndNoWarningIsLogged()
    {
        var (client, _) = await factory.NewPartnerAsync();
        client.Dispose();

        var keys = await factory.WithDbAsync(db => db.DataProtectionKeys.ToListAsync());
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Contains("encryptedSecret", k.Xml, StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Lines, l => l.Contains("No XML encryptor configured", StringComparison.Ordinal));
    }
}
