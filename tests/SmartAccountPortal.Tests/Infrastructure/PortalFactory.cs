using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>
/// The portal in-process on a SQLite file of its own: one factory, one fresh database. Runs as
/// environment "Testing", so error pages, cookies and headers are those of a real deployment.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>
{
    public const string Password = "correct horse battery staple";

    private readonly string directory = Path.Combine(Path.GetTempPath(), "smart-account-portal-tests", Guid.NewGuid().ToString("N"));

    /// <summary>False for a second instance on another factory's files, which that factory removes.</summary>
    private readonly bool ownsDirectory = true;

    public PortalFactory()
    {
        Directory.CreateDirectory(directory);
    }

    private PortalFactory(PortalFactory first)
    {
        directory = first.directory;
        ownsDirectory = false;
    }

    /// <summary>A second instance of the portal on <paramref name="first"/>'s database and mail folder.</summary>
    public static PortalFactory SecondInstanceOf(PortalFactory first) => new(first);

    public TestClock Clock { get; } = new();

    /// <summary>Every line the portal logs.</summary>
    public LogCapture Logs { get; } = new();

    public string DatabasePath => Path.Combine(directory, "portal.db");

    public string MailDirectory => Path.Combine(directory, "mail");

    /// <summary>Extra settings a test class needs, applied over the defaults.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    /// <summary>A client that keeps cookies and does not follow redirects (tests look at them).</summary>
    public HttpClient CreatePortalClient(bool followRedirects = false) =>
        CreateClient(new WebApplicationFactoryClientOptions
        {
            // Cookies outside Development are Secure: the client must speak "https" to get them back.
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = followRedirects,
            HandleCookies = true,
        });

    /// <summary>
    /// A new account with <see cref="Password"/>. Staff get an authenticator app (<see cref="TestAuthenticator"/>),
    /// as they must sign in with one, unless <paramref name="twoFactor"/> says otherwise.
    /// </summary>
    public async Task<PortalUser> CreateUserAsync(string email, string role = Roles.Partner, string? organisation = "Northwind Partners", bool? twoFactor = null)
    {
        using var scope = Services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
        var result = await accounts.CreateAsync(email, Password, role, role == Roles.Partner ? organisation : null);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        if (twoFactor ?? Roles.Staff.Contains(role))
        {
            await TestAuthenticator.SetUpAsync(users, user);
        }

        return user;
    }

    /// <summary>The e-mails to <paramref name="address"/> written to the pickup folder, oldest first.</summary>
    public List<SmartAccountPortal.Mail.EmlFile> MailTo(string address) =>
        (Directory.Exists(MailDirectory) ? new DirectoryInfo(MailDirectory).GetFiles("*.eml") : [])
            .OrderBy(f => f.LastWriteTimeUtc)
            .Select(f => SmartAccountPortal.Mail.EmlFile.Parse(File.ReadAllText(f.FullName)))
            .Where(m => m.To.Contains(address, StringComparison.OrdinalIgnoreCase))
            .ToList();

    /// <summary>Sends every due e-mail now, as one tick of the background service would.</summary>
    public async Task<int> SendMailAsync()
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<SmartAccountPortal.Outbox.OutboxSender>().SendDueAsync(CancellationToken.None);
    }

    /// <summary>Runs <paramref name="work"/> against the database in a scope of its own.</summary>
    public async Task<T> WithDbAsync<T>(Func<PortalDbContext, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // Outside Development a build (not a publish) serves its compressed assets from obj/;
        // this maps them, as `dotnet run` does in Development.
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:Portal", $"Data Source={DatabasePath}");
        builder.UseSetting("Mail:PickupDirectory", MailDirectory);
        builder.UseSetting("Portal:PublicBaseUrl", "https://portal.test");
        builder.UseSetting("RateLimits:SignInPerMinute", "1000");
        builder.UseSetting("RateLimits:ActivationPerMinute", "1000");

        // Tests run the processors themselves, never waiting on the timer.
        builder.UseSetting("Background:Enabled", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddTransient<IStartupFilter, TestPeerAddress>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && ownsDirectory)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is left for the OS to clean; it is in the temp folder.
            }
        }
    }
}

/// <summary>
/// The in-memory server has no network peer; a test names one with the X-Test-Peer header, as a
/// connection from that address would. Runs before the portal's own pipeline.
/// </summary>
internal sealed class TestPeerAddress : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer) && IPAddress.TryParse(peer, out var address))
            {
                context.Connection.RemoteIpAddress = address;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
