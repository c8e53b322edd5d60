using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using SmartAccountPortal.Tests.Infrastructure;
using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Tests.Webhooks;

/// <summary>
/// A portal whose webhook client trusts the test receivers' certificate (and only it, besides
/// the usual roots), so deliveries go over real HTTPS to a receiver on this machine.
/// </summary>
public class WebhookPortal(bool allowPrivateAddresses = true, params KeyValuePair<string, string>[] more) : PortalFactory
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Webhooks:AllowPrivateAddresses", allowPrivateAddresses ? "true" : "false"),
        new("Webhooks:MaxAttempts", "3"),
        new("Webhooks:RetryBaseDelay", "00:01:00"),
        new("Webhooks:PauseAfterFailures", "2"),
        new("Webhooks:TimeoutSeconds", "5"),
        new("Webhooks:PreviousSecretValidFor", "00:10:00"),
        .. more,
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.Configure<HttpClientFactoryOptions>(WebhookChannel.ClientName, options =>
            options.HttpMessageHandlerBuilderActions.Add(handler =>
            {
                var sockets = (SocketsHttpHandler)handler.PrimaryHandler;
                sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == System.Net.Security.SslPolicyErrors.None || certificate?.GetCertHashString() == WebhookReceiver.Certificate.Thumbprint;
            })));
    }
}

/// <summary>One receiver and one portal for a test class; each test has an organisation and an endpoint path of its own.</summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public WebhookReceiver Receiver { get; private set; } = null!;

    public WebhookPortal Portal { get; } = new();

    public async Task InitializeAsync() => Receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

/// <summary>What an organisation administrator does on the Webhooks page, as the tests do it.</summary>
public static class WebhookSteps
{
    /// <summary>
    /// Adds an endpoint at <paramref name="url"/> wanting <paramref name="events"/> (all when none),
    /// through the form; returns its id and the secret the answer showed once.
    /// </summary>
    public static async Task<(int Id, string Secret)> AddEndpointAsync(HttpClient admin, string url, params WebhookEvent[] events)
    {
        var page = await admin.GetPageAsync("/Organisation/Webhooks");
        var form = page.Form("#add-form");
        var wanted = WebhookEvents.TypesIn(events.Length == 0 ? WebhookEvents.Every : events.Aggregate((set, e) => set | e)).ToHashSet();
        form.Tick("Events", wanted.Contains);

        using var answer = await admin.SubmitAsync(form, form.Button("Add the endpoint"), new Dictionary<string, string> { ["Address"] = url, ["Description"] = "CRM" });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.True(answer.Headers.CacheControl?.NoStore);
        var added = await Html.ReadAsync(answer);
        var secret = added.QuerySelector("#new-secret")!.TextContent;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var id = int.Parse(added.QuerySelector("#new-secret-heading")!.ParentElement!.QuerySelector("a")!.GetAttribute("href")!.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        return (id, secret);
    }
}
