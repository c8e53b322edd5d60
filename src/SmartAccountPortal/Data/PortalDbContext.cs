using System.Runtime.CompilerServices;
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
    public DbSet<AccountRequest> Requests => Set<AccountRequest>();

    public DbSet<RequestEvent> RequestEvents => Set<RequestEvent>();

    public DbSet<RequestDraft> RequestDrafts => Set<RequestDraft>();

    public DbSet<Organisation> Organisations => Set<Organisation>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The outbox's e-mails.</summary>
    public DbSet<Mail.OutboxMessage> OutboxMessages => Set<Mail.OutboxMessage>();

    /// <summary>The outbox's webhook deliveries.</summary>
    public DbSet<Webhooks.WebhookDelivery> WebhookDeliveries => Set<Webhooks.WebhookDelivery>();

    /// <summary>Everything in the outbox, e-mails and webhook deliveries.</summary>
    public DbSet<Outbox.OutboxItem> OutboxItems => Set<Outbox.OutboxItem>();

    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();

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
    /// Claims up to <paramref name="take"/> due outbox items of <paramref name="channel"/>, oldest
    /// due first, in one statement: each gets the lease (<paramref name="owner"/> until
    /// <paramref name="leaseUntil"/>) and a new concurrency token, and is returned tracked. An item
    /// leased by another instance, or claimed by one at the same moment, is never returned to both.
    /// </summary>
    public abstract Task<List<Outbox.OutboxItem>> ClaimDueAsync(Outbox.OutboxChannel channel, string owner, DateTime now, DateTime leaseUntil, int take, CancellationToken cancellationToken);

    /// <summary>
    /// Marks up to <paramref name="take"/> requests still Pending at <paramref name="now"/> past
    /// their expiry as Expired, soonest first, in one statement that also moves each one's
    /// concurrency token (so a customer's answer saved from an older copy is refused); returns
    /// them. Two instances at once never get the same request. Call it in a transaction with
    /// <see cref="RecordExpiriesAsync"/>.
    /// </summary>
    public abstract Task<List<AccountRequest>> ExpireOverdueAsync(DateTime now, int take, CancellationToken cancellationToken);

    /// <summary>
    /// What goes with requests just expired, four statements whatever their number: an Expired
    /// entry in each history, both notices (partner and customer, in their languages, written
    /// from the request when they are sent), a <c>request.expired</c> delivery for each of the
    /// organisation's endpoints that wants it (held when the endpoint is paused; written when
    /// sent), and their unsent activation links withdrawn (the first e-mail if still waiting,
    /// the reminder; a message another instance is sending right now is left to it, and its
    /// sender withdraws a link whose request has closed).
    /// </summary>
    public async Task RecordExpiriesAsync(IReadOnlyCollection<int> requestIds, DateTime now, string messageHost, CancellationToken cancellationToken)
    {
        // Parameters: {0} the ids (a JSON array), {1} now, {2} the actor or the default language, {3} the Message-ID host.
        var ids = System.Text.Json.JsonSerializer.Serialize(requestIds);
        var inBatch = $"r.Id IN ({IdsIn("{0}")})";
        await Database.ExecuteSqlInterpolatedAsync(FormattableStringFactory.Create(
            $"INSERT INTO RequestEvents (AccountRequestId, Kind, Actor, At, Detail) SELECT r.Id, '{RequestEventKind.Expired}', {{2}}, {{1}}, NULL FROM AccountRequests r WHERE {inBatch}",
            ids, now, RequestEvent.SystemActor), cancellationToken);

        string Notice(Mail.MailKind kind, string to, string language, string from) =>
            $"SELECT '{Outbox.OutboxChannel.Mail}', {NewMessageId("{3}")}, r.Id, '{kind}', {to}, '', {language}, '', '', '{Outbox.OutboxStatus.Pending}', 0, {{1}}, {{1}}, 0 FROM {from} WHERE {inBatch}";
        await Database.ExecuteSqlInterpolatedAsync(FormattableStringFactory.Create(
            $"INSERT INTO OutboxMessages ({Outbox.OutboxSender.ChannelColumn}, MessageId, AccountRequestId, Kind, [To], Subject, Language, TextBody, HtmlBody, Status, Attempts, CreatedAt, NextAttemptAt, Version) "
            + Notice(Mail.MailKind.ExpiredPartner, "u.Email", "COALESCE(u.PreferredLanguage, {2})", "AccountRequests r JOIN AspNetUsers u ON u.Id = r.PartnerUserId")
            + " AND u.Email IS NOT NULL UNION ALL "
            + Notice(Mail.MailKind.ExpiredCustomer, "r.CustomerEmail", "r.CustomerLanguage", "AccountRequests r"),
            ids, now, Localization.Texts.DefaultCulture, messageHost), cancellationToken);

        var expired = Webhooks.WebhookEvent.Expired;
        await Database.ExecuteSqlInterpolatedAsync(FormattableStringFactory.Create(
            $"INSERT INTO OutboxMessages ({Outbox.OutboxSender.ChannelColumn}, MessageId, AccountRequestId, WebhookEndpointId, Event, Payload, Status, Attempts, CreatedAt, NextAttemptAt, Version) "
            + $"SELECT '{Outbox.OutboxChannel.Webhook}', {NewWebhookId()}, r.Id, e.Id, '{Webhooks.WebhookEvents.TypeOf(expired)}', '', "
            + $"CASE WHEN e.PausedAt IS NULL THEN '{Outbox.OutboxStatus.Pending}' ELSE '{Outbox.OutboxStatus.Held}' END, 0, {{1}}, {{1}}, 0 "
            + $"FROM AccountRequests r JOIN WebhookEndpoints e ON e.OrganisationId = r.OrganisationId AND (e.Events & {(int)expired}) <> 0 WHERE {inBatch}",
            ids, now), cancellationToken);

        await Database.ExecuteSqlInterpolatedAsync(FormattableStringFactory.Create(
            $"UPDATE OutboxMessages SET Status = '{Outbox.OutboxStatus.Cancelled}', ProtectedLink = NULL, LeaseOwner = NULL, LeaseUntil = NULL, Version = Version + 1 "
            + $"WHERE AccountRequestId IN ({IdsIn("{0}")}) AND Status = '{Outbox.OutboxStatus.Pending}' AND {Outbox.OutboxSender.ChannelColumn} = '{Outbox.OutboxChannel.Mail}' "
            + $"AND Kind IN ('{Mail.MailKind.Activation}', '{Mail.MailKind.Reminder}') AND (LeaseUntil IS NULL OR LeaseUntil < {{1}})",
            ids, now), cancellationToken);
    }

    /// <summary>The ids of a JSON array parameter, as a subquery.</summary>
    protected abstract string IdsIn(string jsonParameter);

    /// <summary>An expression for 32 random hexadecimal digits, different on every row.</summary>
    protected abstract string RandomHex();

    /// <summary>An expression for a new random Message-ID on <paramref name="hostParameter"/>, different on every row.</summary>
    private string NewMessageId(string hostParameter) => Concat("'<'", RandomHex(), "'@'", hostParameter, "'>'");

    /// <summary>An expression for a new random webhook-id (see <see cref="Webhooks.WebhookPublisher.NewId"/>), different on every row.</summary>
    private string NewWebhookId() => Concat($"'{Webhooks.WebhookPublisher.IdPrefix}'", RandomHex());

    /// <summary>The provider's string concatenation of <paramref name="parts"/>.</summary>
    protected abstract string Concat(params string[] parts);

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
        foreach (var entry in ChangeTracker.Entries<Outbox.OutboxItem>().Where(e => e.State == EntityState.Modified))
        {
            entry.Entity.Version = entry.OriginalValues.GetValue<int>(nameof(Outbox.OutboxItem.Version)) + 1;
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
