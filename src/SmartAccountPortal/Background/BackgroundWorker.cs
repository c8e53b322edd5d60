using Microsoft.Extensions.Options;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Background;

/// <summary>
/// The hosted service: every Background:PollInterval, in a fresh scope, expire what is due and
/// send what is due. All the work is in the processors, which tests call directly.
/// </summary>
public sealed class BackgroundWorker(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<BackgroundOptions> options,
    ILogger<BackgroundWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            await RunOnceAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One tick. Expiry runs first so its notices go out in the same tick.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<RequestExpiry>().ExpireDueAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<OutboxSender>().SendDueAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<Users.UnknownSignIns>().PurgeAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bad tick (database briefly unavailable) must not stop the service; the next one retries.
            Log.BackgroundTickFailed(logger, exception);
        }
    }
}
