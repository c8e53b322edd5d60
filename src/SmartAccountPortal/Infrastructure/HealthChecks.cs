using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmartAccountPortal.Data;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// Healthy when the database takes a write, not only a connection: a full disk or a read-only
/// file answers every read and still loses every form. The probe writes one row and rolls it
/// back, so it leaves nothing behind.
/// </summary>
internal sealed class DatabaseHealthCheck(PortalDbContext db, TimeProvider clock) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.HealthProbes.Add(new HealthProbe { CheckedAt = clock.GetUtcNow().UtcDateTime, Padding = new byte[HealthProbe.PaddingBytes] });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
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

/// <summary>The row the health check writes and rolls back.</summary>
public sealed class HealthProbe
{
    /// <summary>More than a page, so the probe needs the database to grow, as new requests do.</summary>
    public const int PaddingBytes = 16 * 1024;

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
