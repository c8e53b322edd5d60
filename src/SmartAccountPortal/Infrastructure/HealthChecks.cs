using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmartAccountPortal.Data;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// Healthy when the database takes a write, not only a connection: a full disk or a read-only
/// file answers every read and still loses every form. The probe commits a row larger than a
/// page (the database, or SQLite's write-ahead log, must have room to grow) and then deletes it.
/// </summary>
internal sealed class DatabaseHealthCheck(PortalDbContext db, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var probe = new HealthProbe { CheckedAt = clock.GetUtcNow().UtcDateTime, Padding = new byte[HealthProbe.PaddingBytes] };
            db.HealthProbes.Add(probe);
            await db.SaveChangesAsync(cancellationToken);
            await db.Database.ExecuteSqlInterpolatedAsync($"DELETE FROM HealthProbes WHERE Id <= {probe.Id}", cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database does not take writes.", exception);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }
}

/// <summary>The row the health check writes and then deletes.</summary>
public sealed class HealthProbe
{
    /// <summary>Several pages, so the probe needs room to grow, as a submitted request with its e-mails does.</summary>
    public const int PaddingBytes = 64 * 1024;

    public long Id { get; set; }

    public DateTime CheckedAt { get; set; }

    public byte[] Padding { get; set; } = [];
}

internal static class HealthEndpoints
{
    public static void MapPortalHealthChecks(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapHealthChecks("/health", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
}
