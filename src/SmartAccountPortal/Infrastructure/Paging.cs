namespace SmartAccountPortal.Infrastructure;

/// <summary>One page of a list: which page, of how many, and the rows to skip.</summary>
public sealed record Paging(int Page, int Total, int PageSize = Paging.DefaultPageSize)
{
    public const int DefaultPageSize = 25;

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public int Skip => (Page - 1) * PageSize;

    /// <summary>A requested page number brought within range (a stale link to page 9 of 3 shows page 3).</summary>
    public static Paging For(int? requested, int total, int pageSize = DefaultPageSize)
    {
        var pages = Math.Max(1, (total + pageSize - 1) / pageSize);
        return new Paging(Math.Clamp(requested ?? 1, 1, pages), total, pageSize);
    }
}
