using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Infrastructure;
using SmartAccountPortal.Localization;

namespace SmartAccountPortal.Pages.Support;

/// <summary>
/// The support console: every request, searched by one box over reference, account name,
/// domain, customer, partner and organisation; filtered by state; sorted; 25 a page; and the
/// whole result as CSV.
/// </summary>
public sealed class IndexModel(PortalDbContext db, TimeProvider clock) : PageModel
{
    /// <summary>What every row shows, and every CSV line holds.</summary>
    public sealed record Row(
        string Reference,
        string AccountName,
        string AccountDomain,
        string CustomerEmail,
        string CustomerLanguage,
        string PartnerEmail,
        string Organisation,
        RequestStatus Status,
        DateTime SubmittedAt,
        DateTime ExpiresAt,
        DateTime? ClosedAt);

    public sealed record Dashboard(int Pending, int ExpiringSoon, int WithFailedMail);

    public static readonly TimeSpan ExpiringSoonWithin = TimeSpan.FromDays(7);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public RequestStatus? State { get; set; }

    /// <summary>"submitted" (newest first, the default), "expires" (soonest first) or "state".</summary>
    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    /// <summary>"expiring" (Pending, expiring within 7 days) or "failed-mail" (with a failed e-mail); anything else shows everything.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Show { get; set; }

    public const string ShowExpiring = "expiring";

    public const string ShowFailedMail = "failed-mail";

    /// <summary>The CSV's separator: "comma" or "semicolon"; by default the one spreadsheets in the reader's language expect (<see cref="Csv"/>).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Separator { get; set; }

    /// <summary>Only this organisation's requests (the organisation pages link here).</summary>
    [BindProperty(SupportsGet = true, Name = "organisation")]
    public int? OrganisationId { get; set; }

    /// <summary>The name of <see cref="OrganisationId"/>, when it is one.</summary>
    public string? OrganisationName { get; private set; }

    // Not "page": Razor Pages keeps that name for its own route value.
    [BindProperty(SupportsGet = true, Name = "p")]
    public int? PageNumber { get; set; }

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public Paging Paging { get; private set; } = Paging.For(1, 0);

    public Dashboard Counts { get; private set; } = new(0, 0, 0);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var soon = now + ExpiringSoonWithin;
        // The dashboard counts what its links show.
        Counts = new Dashboard(
            await new Workflow.RequestFilter(null, RequestStatus.Pending, null).CountAsync(db, cancellationToken),
            await new Workflow.RequestFilter(null, null, null, ExpiringBy: soon).CountAsync(db, cancellationToken),
            await new Workflow.RequestFilter(null, null, null, FailedMail: true).CountAsync(db, cancellationToken));

        if (OrganisationId is int organisation)
        {
            OrganisationName = await db.Organisations.Where(o => o.Id == organisation).Select(o => o.Name).SingleOrDefaultAsync(cancellationToken);
        }

        var filter = Filter(now);
        Paging = Paging.For(PageNumber, await filter.CountAsync(db, cancellationToken));
        var page = (Sort is RequestOrder.Expires or RequestOrder.State ? null : filter.NewestPage(db, Paging.Skip, Paging.PageSize))
            ?? RequestOrder.By(filter.Apply(db), Sort).Skip(Paging.Skip).Take(Paging.PageSize);
        Rows = await ToRows(page).ToListAsync(cancellationToken);
    }

    /// <summary>The CSV's column headings, in the reader's language.</summary>
    private static readonly string[] CsvHeaders =
    [
        "Field.Reference", "Field.AccountName", "List.Domain", "List.Customer", "Field.CustomerLanguage", "List.Partner", "List.Organisation",
        "Field.State",
    ];

    private static readonly string[] CsvTimes = ["Csv.Submitted", "Csv.Expires", "Csv.Closed"];

    /// <summary>
    /// Every row the current search matches, not only the page shown, as CSV with the chosen
    /// separator (<see cref="Separator"/>). Each time comes
    /// twice: on the reader's clock in the form spreadsheets open as a date (the zone in the
    /// heading), and as ISO 8601 with its offset for anything that reads it exactly.
    /// </summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        var zone = ReaderTimeZone.Current.Id;
        var headers = CsvHeaders.Select(Texts.Get)
            .Concat(CsvTimes.SelectMany(key => new[] { Texts.Format("Csv.InZone", Texts.Get(key), zone), Texts.Format("Csv.Iso", Texts.Get(key)) }));
        var csv = new Csv(Separator).Line(headers);
        await foreach (var row in ToRows(RequestOrder.By(Filter(clock.GetUtcNow().UtcDateTime).Apply(db), Sort)).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            csv.Line(
            [
                row.Reference, row.AccountName, row.AccountDomain, row.CustomerEmail, Texts.NativeName(row.CustomerLanguage), row.PartnerEmail, row.Organisation,
                Workflow.RequestView.State(row.Status),
                Display.SpreadsheetDateTime(row.SubmittedAt), Display.IsoWithOffset(row.SubmittedAt),
                Display.SpreadsheetDateTime(row.ExpiresAt), Display.IsoWithOffset(row.ExpiresAt),
                row.ClosedAt is DateTime closed ? Display.SpreadsheetDateTime(closed) : "",
                row.ClosedAt is DateTime closedAt ? Display.IsoWithOffset(closedAt) : "",
            ]);
        }

        var name = $"smart-account-requests-{clock.GetUtcNow():yyyyMMdd-HHmm}.csv";
        return File(csv.ToBytes(), Csv.ContentType, name);
    }

    /// <summary>
    /// The matching requests in the chosen order, on the requests table alone;
    /// <see cref="ToRows"/> joins in the partner and organisation only for the rows read.
    /// The benchmark runs exactly this.
    /// </summary>
    public static IQueryable<AccountRequest> Search(PortalDbContext db, string? text, RequestStatus? state, string? sort) =>
        RequestOrder.By(new Workflow.RequestFilter(null, state, text).Apply(db), sort);

    /// <summary>What the page's query asks for.</summary>
    private Workflow.RequestFilter Filter(DateTime now) =>
        new(OrganisationId, State, Q, Show == ShowExpiring ? now + ExpiringSoonWithin : null, Show == ShowFailedMail);

    /// <summary>What the table and the CSV show of each request.</summary>
    public static IQueryable<Row> ToRows(IQueryable<AccountRequest> requests) =>
        requests.Select(r => new Row(
            r.Reference, r.AccountName, r.AccountDomain, r.CustomerEmail, r.CustomerLanguage, r.PartnerUser!.Email!, r.Organisation!.Name,
            r.Status, r.SubmittedAt, r.ExpiresAt, r.ClosedAt));

    public static string Format(int count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
