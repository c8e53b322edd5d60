using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Outbox;
using SmartAccountPortal.Tests.Infrastructure;
using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Tests.Webhooks;

/// <summary>A portal as in production: webhooks may not reach loopback, private, link-local or metadata addresses.</summary>
public sealed class GuardedWebhookFixture : IAsyncLifetime
{
    public WebhookReceiver Receiver { get; private set; } = null!;

    public WebhookPortal Portal { get; } = new(allowPrivateAddresses: false);

    public async Task InitializeAsync() => Receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await Portal.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}

public sealed class WebhookAddressTests(GuardedWebhookFixture fixture) : IClassFixture<GuardedWebhookFixture>
{
    private WebhookPortal Portal => fixture.Portal;

    [Theory]
    [InlineData("https://127.0.0.1/hooks")]
    [InlineData("https://localhost:8443/hooks")]
    [InlineData("https://10.1.2.3/hooks")]
    [InlineData("https://192.168.0.10/hooks")]
    [InlineData("https://172.20.0.1/hooks")]
    [InlineData("https://169.254.169.254/latest/meta-data")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[fd00:ec2::254]/hooks")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    public async Task APrivateAddress_IsRefusedWhenSaved_NextToTheField(string address)
    {
        var (admin, _) = await Portal.NewOrganisationAdministratorAsync("Guarded " + Guid.NewGuid().ToString("N")[..8]);
        var page = await admin.GetPageAsync("/Organisation/Webhooks");
        var form = page.Form("#add-form");
        using var answer = await admin.SubmitAsync(form, form.Button("Add the endpoint"), new Dictionary<string, string> { ["Address"] = address });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var error = (await Html.ReadAsync(answer)).QuerySelector("#Address-error")!.TextContent.Trim();
        Assert.Equal("Enter an address on the internet: the portal does not send to local, private or link-local addresses.", error);
        Assert.Equal(0, await Portal.WithDbAsync(db => db.WebhookEndpoints.CountAsync(e => e.Url == address)));
    }

    [Theory]
    [InlineData("http://hooks.example.com/portal", "Enter a full address beginning with https://.")]
    [InlineData("hooks.example.com", "Enter a full address beginning with https://.")]
    [InlineData("https://user:secret@hooks.example.com/portal", "Enter the address without a user name, password or # part.")]
    [InlineData("", "Enter the endpoint's address.")]
    public async Task AnAddressThatIsNotHttps_IsRefused(string address, string message)
    {
        var (admin, _) = await Portal.NewOrganisationAdministratorAsync("Guarded " + Guid.NewGuid().ToString("N")[..8]);
        var form = (await admin.GetPageAsync("/Organisation/Webhooks")).Form("#add-form");
        using var answer = await admin.SubmitAsync(form, form.Button("Add the endpoint"), new Dictionary<string, string> { ["Address"] = address });
        Assert.Equal(message, (await Html.ReadAsync(answer)).QuerySelector("#Address-error")!.TextContent.Trim());
    }

    /// <summary>
    /// An endpoint whose name resolves to loopback when the delivery is made (here "localhost",
    /// written straight into the database as a name that changed its address would be): the
    /// receiver listening there hears nothing, and the delivery records why.
    /// </summary>
    [Fact]
    public async Task ANameThatResolvesToLoopbackAtDeliveryTime_IsNotConnectedTo()
    {
        var (admin, email) = await Portal.NewOrganisationAdministratorAsync("Rebound " + Guid.NewGuid().ToString("N")[..8]);
        int id;
        using (var scope = Portal.Services.CreateScope())
        {
            var administrator = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<SmartAccountPortal.Domain.PortalUser>>().FindByEmailAsync(email))!;
            var endpoints = scope.ServiceProvider.GetRequiredService<WebhookEndpoints>();
            var (endpoint, _) = await endpoints.CreateAsync(administrator.OrganisationId!.Value, "https://hooks.example.com/portal", null, WebhookEvents.Every, administrator, CancellationToken.None);
            id = endpoint.Id;
            await endpoints.SendTestAsync(endpoint, CancellationToken.None);
        }

        var url = fixture.Receiver.Url("/rebound").Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        await Portal.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE WebhookEndpoints SET Url = {url} WHERE Id = {id}"));
        await Portal.SendMailAsync();

        Assert.DoesNotContain(fixture.Receiver.All(), w => w.Path == "/rebound");
        var delivery = await Portal.WithDbAsync(db => db.WebhookDeliveries.AsNoTracking().SingleAsync(d => d.WebhookEndpointId == id));
        Assert.Equal((OutboxStatus.Pending, 1), (delivery.Status, delivery.Attempts));
        Assert.Contains("loopback, private, link-local or metadata address", delivery.LastError, StringComparison.Ordinal);

        using var log = await admin.GetAsync($"/Organisation/Webhooks/Endpoint/{id}");
        Assert.Contains("loopback, private, link-local or metadata address", await log.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.255.0.1", true)]
    [InlineData("100.64.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("172.31.255.255", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("224.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00:ec2::254", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("93.184.215.14", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2606:4700::1111", false)]
    public void TheAddressCheck_KnowsThePrivateRanges(string address, bool forbidden) =>
        Assert.Equal(forbidden, WebhookAddresses.IsForbidden(IPAddress.Parse(address)));
}
