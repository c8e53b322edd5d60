using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Playwright;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Browser;

/// <summary>
/// The portal served by Kestrel over HTTPS on a free loopback port, as it is deployed: its
/// cookies are Secure, so plain HTTP would not do. The certificate is made for the run.
/// </summary>
public sealed class KestrelPortalFactory : PortalFactory
{
    private readonly IEnumerable<KeyValuePair<string, string>> settings;

    public KestrelPortalFactory(IEnumerable<KeyValuePair<string, string>>? settings = null)
    {
        // The port is chosen first so that links in e-mails (built from Portal:PublicBaseUrl) point here.
        var port = MailDevServer.FreePort();
        PublicBaseUrl = new Uri($"https://localhost:{port}/");
        this.settings = [.. settings ?? [], new("Portal:PublicBaseUrl", PublicBaseUrl.ToString())];
        var certificate = SelfSignedCertificate();
        UseKestrel(options => options.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
    }

    public Uri PublicBaseUrl { get; }

    protected override IEnumerable<KeyValuePair<string, string>> Settings => settings;

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}

/// <summary>
/// One real server and one headless Chromium (Debian's, at /usr/bin/chromium) for a test class.
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public KestrelPortalFactory Portal { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress => Portal.PublicBaseUrl;

    protected virtual Task<KestrelPortalFactory> CreatePortalAsync() => Task.FromResult(new KestrelPortalFactory());

    public virtual async Task InitializeAsync()
    {
        // Room for a slow, shared CI machine; a passing step takes milliseconds.
        Assertions.SetDefaultExpectTimeout(15_000);
        Portal = await CreatePortalAsync();
        Portal.StartServer();
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        playwright?.Dispose();
        await Portal.DisposeAsync();
    }

    /// <summary>
    /// A fresh browser profile; <paramref name="javaScript"/> off for the no-script path, and the
    /// browser's language (its Accept-Language) <paramref name="locale"/>.
    /// </summary>
    public async Task<IPage> NewPageAsync(bool javaScript = true, string locale = "en")
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = BaseAddress.ToString(),
            IgnoreHTTPSErrors = true,
            JavaScriptEnabled = javaScript,
            Locale = locale,
            ViewportSize = new() { Width = 1100, Height = 900 },
        });

        // The first minute of a full run starts dozens of portals and browsers on a 2-core
        // machine at once; a page that loads in milliseconds later can take half a minute then.
        context.SetDefaultTimeout(60_000);
        return await context.NewPageAsync();
    }
}

/// <summary>The browser fixture with the portal sending its mail to a MailDev server.</summary>
public sealed class MailBrowserFixture : BrowserFixture
{
    public MailDevServer MailDev { get; } = new();

    protected override async Task<KestrelPortalFactory> CreatePortalAsync()
    {
        await MailDev.InitializeAsync();
        return new KestrelPortalFactory(
        [
            new("Mail:Smtp:Host", "127.0.0.1"),
            new("Mail:Smtp:Port", MailDev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Mail:Smtp:EnableSsl", "false"),
        ]);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await MailDev.DisposeAsync();
    }
}

/// <summary>
/// Saves a full-page screenshot after each step into artifacts/screenshots/TEST/, numbered, so a
/// failed run shows what the browser showed up to the failure.
/// </summary>
public sealed class Steps(IPage page, string test)
{
    private static readonly string Root = FindRoot();
    private int number;

    public string Directory { get; } = Path.Combine(Root, "artifacts", "screenshots", test);

    public async Task ShotAsync(string step)
    {
        System.IO.Directory.CreateDirectory(Directory);
        number++;
        await page.ScreenshotAsync(new() { Path = Path.Combine(Directory, $"{number:00}-{step}.png"), FullPage = true });
    }

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SmartAccountPortal.sln")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}
