using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Users;

// `users add …` runs the account command instead of the web server; its arguments are not configuration.
var command = UsersCommand.IsInvoked(args) ? args : null;
var builder = WebApplication.CreateBuilder(command is null ? args : []);

builder.AddPortalLogging();
builder.Services
    .AddPortalOptions()
    .AddPortalData(builder.Configuration, builder.Environment)
    .AddPortalIdentity(builder.Environment)
    .AddPortalWeb()
    .AddPortalBackground(builder.Configuration)
    .AddScoped<UserAccounts>()
    .AddScoped<SmartAccountPortal.Workflow.RequestActions>();

var app = builder.Build();
await app.PrepareDatabaseAsync();

if (command is not null)
{
    return await UsersCommand.RunAsync(app.Services, command, Console.In, Console.Out, interactive: !Console.IsInputRedirected);
}

if (app.Environment.IsDevelopment())
{
    app.UseDeveloperExceptionPage();
}
else
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}

app.UseStatusCodePagesWithReExecute("/Error/{0}");
app.UseSecurityHeaders();
app.UseRouting();
app.UseMiddleware<RequestLogging>();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();

app.MapStaticAssets();
app.MapRazorPages().WithStaticAssets();
app.MapHealthChecks("/health");

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
