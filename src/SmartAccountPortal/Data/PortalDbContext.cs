using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Data;

/// <summary>
/// The portal's database. One subclass per provider (<see cref="SqlitePortalDbContext"/>,
/// <see cref="SqlServerPortalDbContext"/>) so that each keeps its own migrations.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options) : IdentityDbContext<PortalUser>(options)
{
    /// <summary>
    /// The newest migration of this provider (a test checks it is the last in Data/Migrations).
    /// When the database has it, start-up skips EF Core's migration check, which reads every
    /// type of the assembly to find the migrations.
    /// </summary>
    public abstract string LatestMigration { get; }

    public DbSet<AccountRequest> Requests => Set<AccountRequest>();

    public DbSet<RequestEvent> RequestEvents => Set<RequestEvent>();

    public DbSet<RequestDraft> RequestDrafts => Set<RequestDraft>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Mail.OutboxMessage> OutboxMessages => Set<Mail.OutboxMessage>();

    public DbSet<Users.SignInFailure> SignInFailures => Set<Users.SignInFailure>();

    public DbSet<Infrastructure.HealthProbe> HealthProbes => Set<Infrastructure.HealthProbe>();

    /// <summary>Requests per organisation and state, kept by the database (see <see cref="RequestCount"/>).</summary>
    public virtual IQueryable<RequestCount> RequestCounts => Set<RequestCount>();

    /// <summary>
    /// The requests whose reference, account name, domain, customer e-mail, partner
    /// e-mail or organisation holds <paramref name="term"/> anywhere, case and accents folded.
    /// </summary>
    public abstract IQueryable<AccountRequest> RequestsMatching(string term);

    /// <summary>One page of <see cref="RequestsMatching"/>, newest first, read through the search index in its order where there is one.</summary>
    public virtual IQueryable<AccountRequest> NewestMatching(string term, int skip, int take) =>
        RequestOrder.NewestFirst(RequestsMatching(term)).Skip(skip).Take(take);

    /// <summary>How many requests <see cref="RequestsMatching"/> finds, read from the search index alone where there is one.</summary>
    public virtual Task<int> CountMatchingAsync(string term, CancellationToken cancellationToken) =>
        RequestsMatching(term).CountAsync(cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="take"/> due outbox messages, oldest due first, in one
    /// statement: each gets the lease (<paramref name="owner"/> until <paramref name="leaseUntil"/>)
    /// and a new concurrency token, and is returned tracked. A message leased by another
    /// instance, or claimed by one at the same moment, is never returned to both.
    /// </summary>
    public abstract Task<List<Mail.OutboxMessage>> ClaimDueMessagesAsync(string owner, DateTime now, DateTime leaseUntil, int take, CancellationToken cancellationToken);

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpOutboxVersions();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpOutboxVersions();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    /// <summary>
    /// Every change to an outbox row (a claim, a release, a withdrawal, a retry) moves its
    /// concurrency token here, in one place, so a writer holding a stale copy is always refused.
    /// </summary>
    private void BumpOutboxVersions()
    {
        foreach (var entry in ChangeTracker.Entries<Mail.OutboxMessage>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version = entry.OriginalValues.GetValue<int>(nameof(Mail.OutboxMessage.Version)) + 1;
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PortalDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; the database does not keep DateTime.Kind, so put it back on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
