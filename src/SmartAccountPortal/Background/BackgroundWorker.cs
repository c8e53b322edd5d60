using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Outbox;

namespace SmartAccountPortal.Background;

/// <summary>
/// The hosted service: every Background:PollInterval, in a fresh scope, expire what is due and
/// send what is due. All the work is in the processors, which tests call directly.
/// </summary>
public sealed class BackgroundWorker(
    IServiceScopeFactory scopes,
    TimeProvider clock,
    IOptions<BackgroundOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<BackgroundWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Nothing here is needed before the first request: the first tick (which also builds EF
        // Core's model) waits until the server is listening, and then runs beside it.
        await WhenStartedAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.PollInterval, clock);
        do
        {
            await RunUntilIdleAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(started.SetResult);
        return started.Task.WaitAsync(stoppingToken);
    }

    /// <summary>
    /// Ticks until no processor found a full batch: a backlog (a burst of submissions, a day of
    /// expiries) goes on at once, and the timer only paces an idle queue.
    /// </summary>
    public async Task RunUntilIdleAsync(CancellationToken cancellationToken)
    {
        while (await RunOnceAsync(cancellationToken))
        {
        }
    }

    /// <summary>
    /// One tick. Expiry runs first, batch after batch until nothing is overdue (each batch is a
    /// few statements, so a day of expiries does not wait on sending its notices), so its notices
    /// go out from the same tick; then one batch of e-mail. True when more work may be waiting.
    /// </summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var scope = scopes.CreateScope();
            var expiry = scope.ServiceProvider.GetRequiredService<RequestExpiry>();
            while ((await expiry.ExpireBatchAsync(cancellationToken)).MoreWaiting)
            {
            }

            var sent = await scope.ServiceProvider.GetRequiredService<OutboxSender>().SendBatchAsync(cancellationToken);
            await scope.ServiceProvider.GetRequiredService<Users.UnknownSignIns>().PurgeAsync(cancellationToken);
            await PurgeDraftsAsync(scope.ServiceProvider.GetRequiredService<Data.PortalDbContext>(), cancellationToken);
            return sent.MoreWaiting;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A bad tick (database briefly unavailable) must not stop the service; the next one retries.
            Log.BackgroundTickFailed(logger, exception);
            return false;
        }
    }

    /// <summary>Reviewed forms never submitted are forgotten after a day (RequestDraft.KeptFor).</summary>
    private async Task PurgeDraftsAsync(Data.PortalDbContext db, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - Domain.RequestDraft.KeptFor;
        await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM RequestDrafts WHERE CreatedAt < {cutoff}", cancellationToken);
    }
}

/// <summary>
/// What one batch did: how many items it finished, and whether it was full. A full batch that
/// got something done means more may be waiting; one that got nothing done (the mail server
/// down, every item taken by another instance) waits for the next tick.
/// </summary>
public readonly record struct Batch(int Done, bool Full)
{
    public bool MoreWaiting => Full && Done > 0;
}
