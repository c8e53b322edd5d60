using SmartAccountPortal.Api;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Users;
using SmartAccountPortal.Webhooks;

// `users add …` runs the account command instead of the web server; its arguments are not configuration.
var command = UsersCommand.IsInvoked(args) ? args : null;
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = command is null ? args : [],
    EnvironmentName = LaunchEnvironment.Default(args),
});

builder.AddPortalLogging();
builder.Services
    .AddPortalOptions()
    .AddPortalData(builder.Configuration, builder.Environment)
    .AddPortalIdentity(builder.Environment)
    .AddPortalWeb()
    .AddPortalLocalization(builder.Environment)
    .AddPortalProxies(builder.Configuration)
    .AddPortalBackground(builder.Configuration)
    .AddScoped<UserAccounts>()
    .AddScoped<SmartAccountPortal.Workflow.RequestActions>()
    .AddScoped<SmartAccountPortal.Workflow.RequestSubmission>()
    .AddPortalApi()
    .AddPortalWebhooks();

var app = builder.Build();
await app.PrepareDatabaseAsync();

if (command is not null)
{
    return await UsersCommand.RunAsync(app.Services, command, Console.In, Console.Out, interactive: !Console.IsInputRedirected);
}

// First the client's real address and scheme (from trusted proxies only), then the request log,
// outside everything else so that it records the status the client received.
app.UseForwardedHeaders();
app.UseMiddleware<RequestLogging>();
if (app.Environment.IsDevelopment())
{
    app.UseDeveloperExceptionPage();
}
else
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
    app.UseHttpsRedirection();
}

// Pages show the error page; the API answers a problem document.
app.UseWhen(context => !context.Request.Path.StartsWithSegments(ApiServices.PathPrefix.TrimEnd('/')), pages => pages.UseStatusCodePagesWithReExecute("/Error/{0}"));
app.UseWhen(context => context.Request.Path.StartsWithSegments(ApiServices.PathPrefix.TrimEnd('/')), api => api.UseStatusCodePages());
app.UseSecurityHeaders();
app.UseRouting();
app.UseRateLimiter();
app.UseMiddleware<UnreadableBodies>();
app.UseAuthentication();
app.UseRequestLocalization();
app.UseReaderTimeZone();
app.UseAuthorization();

app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapPortalApi();
app.MapPortalHealthChecks();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
