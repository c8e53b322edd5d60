using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;

namespace SmartAccountPortal.Users;

/// <summary>One account in the people lists.</summary>
public sealed record PersonRow(
    string Id, string Email, string Role, int? OrganisationId, string? Organisation, bool Administers,
    AccountState State, bool TwoFactor, DateTime? LastSignInAt);

/// <summary>One invitation not yet followed, in the people lists.</summary>
public sealed record InvitedRow(
    int Id, string Email, string Role, int? OrganisationId, string? Organisation, bool Administers,
    string InvitedBy, DateTime SentAt, DateTime ExpiresAt, bool Expired);

/// <summary>One organisation in the organisations list, with how many people and open (Pending) requests it has.</summary>
public sealed record OrganisationRow(int Id, string Name, int People, long OpenRequests, bool RequiresTwoFactor);

/// <summary>
/// The people and organisations lists of staff and organisation administrators: searched by
/// address or organisation (any part, as text: wildcards are escaped), filtered by state, paged.
/// </summary>
public sealed class PeopleDirectory(PortalDbContext db, TimeProvider clock)
{
    /// <summary>The state filter's values: an <see cref="AccountState"/> in lower case, or "invited".</summary>
    public static readonly IReadOnlyList<string> States = ["active", "locked", "deactivated", Invited];

    public const string Invited = "invited";

    public const int InvitationsShown = 200;

    /// <summary>
    /// Accounts matching <paramref name="term"/> and <paramref name="state"/> (in
    /// <paramref name="organisationId"/> when given), by address, one page.
    /// </summary>
    public async Task<(IReadOnlyList<PersonRow> Rows, Paging Paging)> PeopleAsync(
        string? term, string? state, int? organisationId, int? page, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var query = db.Users.AsNoTracking();
        if (organisationId is int organisation)
        {
            query = query.Where(u => u.OrganisationId == organisation);
        }

        if (Pattern(term) is string pattern)
        {
            query = query.Where(u => EF.Functions.Like(u.Email!, pattern, SearchTerms.LikeEscape)
                                     || EF.Functions.Like(u.Organisation!.Name, pattern, SearchTerms.LikeEscape));
        }

        if (state is "active" or "locked")
        {
            // Few accounts were ever locked out: their lockout ends are compared here, as SQLite
            // cannot compare the stored times.
            var lockedIds = (await query.Where(u => u.DeactivatedAt == null && u.LockoutEnd != null)
                    .Select(u => new { u.Id, u.LockoutEnd }).ToListAsync(cancellationToken))
                .Where(u => u.LockoutEnd > now).Select(u => u.Id).ToList();
            query = state == "locked"
                ? query.Where(u => lockedIds.Contains(u.Id))
                : query.Where(u => u.DeactivatedAt == null && !lockedIds.Contains(u.Id));
        }
        else if (state == "deactivated")
        {
            query = query.Where(u => u.DeactivatedAt != null);
        }

        var paging = Paging.For(page, state == Invited ? 0 : await query.CountAsync(cancellationToken));
        if (paging.Total == 0)
        {
            return ([], paging);
        }

        var rows = await Read(query.OrderBy(u => u.Email).Skip(paging.Skip).Take(paging.PageSize)).ToListAsync(cancellationToken);
        return (rows.Select(r => r.At(now)).ToList(), paging);
    }

    /// <summary>One account, or null (also when it is outside <paramref name="organisationId"/>, when given).</summary>
    public async Task<PersonRow?> PersonAsync(string id, int? organisationId, CancellationToken cancellationToken)
    {
        var found = await Read(db.Users.AsNoTracking().Where(u => u.Id == id && (organisationId == null || u.OrganisationId == organisationId)))
            .SingleOrDefaultAsync(cancellationToken);
        return found?.At(clock.GetUtcNow());
    }

    /// <summary>What the lists show of each account, as read; its state follows from the time (<see cref="StoredPerson.At"/>).</summary>
    private IQueryable<StoredPerson> Read(IQueryable<PortalUser> accounts) =>
        accounts.Select(u => new StoredPerson(
            u.Id, u.Email, UserAccounts.RoleOf(db, u.Id), u.OrganisationId, u.Organisation!.Name, u.AdministersOrganisation,
            u.DeactivatedAt, u.LockoutEnd, u.TwoFactorEnabled, u.LastSignInAt));

    private sealed record StoredPerson(
        string Id, string? Email, string? Role, int? OrganisationId, string? Organisation, bool Administers,
        DateTime? DeactivatedAt, DateTimeOffset? LockoutEnd, bool TwoFactor, DateTime? LastSignInAt)
    {
        public PersonRow At(DateTimeOffset now) => new(
            Id, Email ?? "", Role ?? "", OrganisationId, Organisation, Administers,
            UserAccounts.StateOf(DeactivatedAt, LockoutEnd, now), TwoFactor, LastSignInAt);
    }

    /// <summary>Invitations not yet followed nor withdrawn (expired ones too: they can be sent again), newest first.</summary>
    public async Task<IReadOnlyList<InvitedRow>> InvitedAsync(string? term, int? organisationId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var query = db.Invitations.AsNoTracking().Where(i => i.AcceptedAt == null && i.RevokedAt == null);
        if (organisationId is int organisation)
        {
            query = query.Where(i => i.OrganisationId == organisation);
        }

        if (Pattern(term) is string pattern)
        {
            query = query.Where(i => EF.Functions.Like(i.Email, pattern, SearchTerms.LikeEscape)
                                     || EF.Functions.Like(i.Organisation!.Name, pattern, SearchTerms.LikeEscape));
        }

        return await query.OrderByDescending(i => i.Id).Take(InvitationsShown)
            .Select(i => new InvitedRow(
                i.Id, i.Email, i.Role, i.OrganisationId, i.Organisation!.Name, i.AdministersOrganisation,
                i.InvitedByEmail, i.SentAt, i.ExpiresAt, i.ExpiresAt <= now))
            .ToListAsync(cancellationToken);
    }

    /// <summary>How many organisation names the forms offer as one types (a datalist): enough for any real list, bounded for a page.</summary>
    public const int OrganisationNamesOffered = 500;

    /// <summary>The organisations' names, in order, for a form's list of suggestions.</summary>
    public Task<List<string>> OrganisationNamesAsync(CancellationToken cancellationToken) =>
        db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => o.Name).Take(OrganisationNamesOffered).ToListAsync(cancellationToken);

    /// <summary>Organisations whose name holds <paramref name="term"/>, by name, one page, with their counts.</summary>
    public async Task<(IReadOnlyList<OrganisationRow> Rows, Paging Paging)> OrganisationsAsync(string? term, int? page, CancellationToken cancellationToken)
    {
        var query = db.Organisations.AsNoTracking();
        if (Pattern(term) is string pattern)
        {
            query = query.Where(o => EF.Functions.Like(o.Name, pattern, SearchTerms.LikeEscape));
        }

        var paging = Paging.For(page, await query.CountAsync(cancellationToken));
        var rows = await Counted(query.OrderBy(o => o.Name).Skip(paging.Skip).Take(paging.PageSize)).ToListAsync(cancellationToken);
        return (rows, paging);
    }

    /// <summary>One organisation with its counts, or null.</summary>
    public Task<OrganisationRow?> OrganisationAsync(int id, CancellationToken cancellationToken) =>
        Counted(db.Organisations.AsNoTracking().Where(o => o.Id == id)).SingleOrDefaultAsync(cancellationToken);

    /// <summary>The organisations with their people (counted by the organisation's index) and Pending requests (from the kept counts).</summary>
    private IQueryable<OrganisationRow> Counted(IQueryable<Organisation> organisations) =>
        organisations.Select(o => new OrganisationRow(
            o.Id,
            o.Name,
            db.Users.Count(u => u.OrganisationId == o.Id),
            db.RequestCounts.Where(c => c.OrganisationId == o.Id && c.Status == RequestStatus.Pending).Sum(c => c.Count),
            o.RequiresTwoFactor));

    private static string? Pattern(string? term) =>
        string.IsNullOrWhiteSpace(term) ? null : SearchTerms.Contains(term.Trim());
}
