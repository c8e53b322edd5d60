using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Users;

namespace SmartAccountPortal.Pages.Admin;

/// <summary>
/// Every action on people and organisations, newest first: when, who, what, on whom. Searched
/// by who or whom, filtered by action, 50 a page, and the whole result as CSV.
/// </summary>
public sealed class AuditModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public AuditAction? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    /// <summary>The CSV's separator (<see cref="Csv"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Separator { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var entries = Filtered();
        Paging = Paging.For(PageNumber, await entries.CountAsync(cancellationToken), PageSize);
        Entries = await entries.OrderByDescending(e => e.Id).Skip(Paging.Skip).Take(Paging.PageSize).ToListAsync(cancellationToken);
    }

    /// <summary>Every entry the search matches, as CSV: the time on the reader's clock and in ISO 8601, who, what, on whom.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var csv = new Csv(Separator).Line(
        [
            Texts.Format("Csv.InZone", Texts.Get("Audit.When"), ReaderTimeZone.Current.Id), Texts.Format("Csv.Iso", Texts.Get("Audit.When")),
            Texts.Get("Audit.Who"), Texts.Get("Audit.What"), Texts.Get("Audit.OnWhom"),
        ]);
        await foreach (var entry in Filtered().OrderByDescending(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            csv.Line([Display.SpreadsheetDateTime(entry.At), Display.IsoWithOffset(entry.At), AuditLog.Who(entry.Actor), AuditLog.What(entry.Action, entry.Detail), entry.Subject]);
        }

        return File(csv.ToBytes(), Csv.ContentType, $"portal-audit-{clock.GetUtcNow():yyyyMMdd-HHmm}.csv");
    }

    private IQueryable<AuditEntry> Filtered()
    {
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Q))
        {
            var pattern = SearchTerms.Contains(Q.Trim());
            entries = entries.Where(e => EF.Functions.Like(e.Actor, pattern, SearchTerms.LikeEscape) || EF.Functions.Like(e.Subject, pattern, SearchTerms.LikeEscape));
        }

        if (Action is AuditAction action && Enum.IsDefined(action))
        {
            entries = entries.Where(e => e.Action == action);
        }

        return entries;
    }
}
