using Microsoft.Extensions.Options;
using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Webhooks;

/// <summary>Webhooks: the endpoints' management, the publisher, and the outbox channel with its guarded HttpClient.</summary>
public static class WebhookServices
{
    public static IServiceCollection AddPortalWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<WebhookPublisher>();
        services.AddScoped<WebhookEndpoints>();
        services.AddScoped<IOutboxChannel, WebhookChannel>();
        services.AddHttpClient(WebhookChannel.ClientName)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var allowPrivate = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateAddresses;
                return new SocketsHttpHandler
                {
                    // Every connection goes through the address check, on the addresses it connects to.
                    ConnectCallback = (context, cancellationToken) => WebhookAddresses.ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
                    // A redirect could lead anywhere, a proxy past the check: neither is followed.
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                };
            })
            // The endpoint's address may carry the receiver's own token in its query: not logged.
            .RemoveAllLoggers();
        return services;
    }
}
