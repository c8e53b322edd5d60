using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Api;

/// <summary>The partner API: its key sign-in, policy, rate limit and OpenAPI document.</summary>
public static class ApiServices
{
    public const string Policy = "Api";

    public const string RateLimit = "api";

    public const string PathPrefix = "/api/";

    public static IServiceCollection AddPortalApi(this IServiceCollection services)
    {
        services.AddScoped<ApiKeys>();
        services.AddProblemDetails();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(Policy, p => p
            .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName)
            .RequireAuthenticatedUser()
            .RequireClaim(PortalClaims.OrganisationId));
        services.AddRateLimiter(options => options.AddPolicy(RateLimit, PerKeyPerMinute));
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "SmartAccountPortal partner API";
            document.Info.Description = "Request, follow and act on Smart Accounts from your own systems. Authenticate with `Authorization: Bearer <API key>`; an organisation administrator makes keys under API keys. "
                + "The webhooks are the events the portal POSTs to an organisation's endpoints, registered under Webhooks.";
            Webhooks.WebhookOpenApi.Describe(document);
            return Task.CompletedTask;
        }).AddSchemaTransformer((schema, context, _) =>
        {
            // Examples a reader can copy: a new request, and a reason to cancel.
            if (context.JsonTypeInfo.Type == typeof(NewRequestBody))
            {
                schema.Examples = [System.Text.Json.Nodes.JsonNode.Parse("""
                    {"accountName":"Contoso Pharmaceuticals","customerEmail":"it.lead@contoso.example","accountDomain":"contoso.example",
                     "noteToCustomer":"Please accept this week.","userEmails":["ana@contoso.example","bo@contoso.example"],
                     "noteToAddedUsers":"Welcome aboard.","customerLanguage":"it"}
                    """)!];
            }
            else if (context.JsonTypeInfo.Type == typeof(CancelBody))
            {
                schema.Examples = [System.Text.Json.Nodes.JsonNode.Parse("""{"reason":"Ordered by mistake."}""")!];
            }

            return Task.CompletedTask;
        }));
        return services;
    }

    public static IEndpointRouteBuilder MapPortalApi(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi("/openapi/{documentName}.json");
        routes.MapRequestsApi();
        return routes;
    }

    /// <summary>
    /// A one-minute window per key (RateLimits:ApiPerMinute). The limiter runs before sign-in,
    /// so the partition is the SHA-256 of the presented key: the key itself is kept nowhere.
    /// </summary>
    private static RateLimitPartition<string> PerKeyPerMinute(HttpContext context)
    {
        var services = context.RequestServices;
        var limit = services.GetRequiredService<IOptions<RateLimitOptions>>().Value.ApiPerMinute;
        var clock = services.GetRequiredService<TimeProvider>();
        string presented = context.Request.Headers.Authorization.ToString();
        var partition = presented.Length == 0
            ? "anonymous:" + context.Connection.RemoteIpAddress
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
        return RateLimitPartition.Get(partition, _ => new FixedWindowLimiter(limit, TimeSpan.FromMinutes(1), clock));
    }
}
