using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>One POST the receiver got: its headers and its body exactly as sent.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, string Path);

/// <summary>
/// A real HTTPS server on a loopback port, with a certificate of its own that only the test
/// portal trusts: it records every POST and answers what the test says (200 unless told
/// otherwise). It can be stopped and started again on the same port, to be "down".
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>The receivers' certificate, made once per test run; the test portal trusts it and nothing else.</summary>
    public static X509Certificate2 Certificate { get; } = MakeCertificate();

    private WebApplication? app;

    public int Port { get; private set; }

    public string Url(string path = "/hooks") => $"https://127.0.0.1:{Port}{path}";

    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>The status every POST is answered with.</summary>
    public HttpStatusCode Answer { get; set; } = HttpStatusCode.OK;

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAgainAsync();
        return receiver;
    }

    /// <summary>Listens (again) on its port; the first time on a free one.</summary>
    public async Task StartAgainAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port, listen => listen.UseHttps(Certificate)));
        app = builder.Build();
        app.MapPost("/{**path}", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers;
            Received.Enqueue(new ReceivedWebhook(headers["webhook-id"].ToString(), headers["webhook-timestamp"].ToString(), headers["webhook-signature"].ToString(), body, context.Request.Path));
            context.Response.StatusCode = (int)Answer;
        });
        await app.StartAsync();
        Port = new Uri(app.Urls.Single()).Port;
    }

    /// <summary>Stops listening: connections to the port are refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    /// <summary>What arrived so far, in order.</summary>
    public List<ReceivedWebhook> All() => [.. Received];

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Checks a delivery's signature the way a receiver following Standard Webhooks does.</summary>
    public static bool SignedWith(ReceivedWebhook webhook, string secret)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var expected = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhook.Id}.{webhook.Timestamp}.{webhook.Body}")));
        return webhook.Signature.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    private static X509Certificate2 MakeCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=webhook-receiver.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        // Exported and loaded again so that Kestrel can use its private key on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
