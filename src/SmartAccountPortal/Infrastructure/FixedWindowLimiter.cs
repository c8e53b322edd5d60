using System.Threading.RateLimiting;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// A fixed window of <c>limit</c> permits that starts with its first use. Unlike the framework's
/// fixed-window limiter, a refusal says when the window ends (Retry-After is the time left, not
/// the window's length), and time comes from <see cref="TimeProvider"/>, so tests move it.
/// </summary>
internal sealed class FixedWindowLimiter(int limit, TimeSpan window, TimeProvider clock) : RateLimiter
{
    private readonly Lock gate = new();
    private DateTimeOffset windowStart = clock.GetUtcNow();
    private int used;
    private long refused;
    private long granted;

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (gate)
            {
                var now = clock.GetUtcNow();
                var end = windowStart + window;
                return now >= end ? now - end : used == 0 ? now - windowStart : null;
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (gate)
        {
            Roll(clock.GetUtcNow());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = limit - used,
                CurrentQueuedCount = 0,
                TotalFailedLeases = refused,
                TotalSuccessfulLeases = granted,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            Roll(now);
            if (used + permitCount <= limit)
            {
                used += permitCount;
                granted++;
                return WindowLease.Granted;
            }

            refused++;
            return new WindowLease(false, windowStart + window - now);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    /// <summary>A new window once the current one is over.</summary>
    private void Roll(DateTimeOffset now)
    {
        if (now >= windowStart + window)
        {
            windowStart = now;
            used = 0;
        }
    }

    private sealed class WindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly WindowLease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
