namespace SmartAccountPortal.Domain;

/// <summary>
/// A request form that passed review and waits for Submit Request. Holding it lets the review be
/// a page of its own, reached by GET, so the browser's Back from the next page never posts the
/// form again. Deleted with the submit that uses it, or by the background service after
/// <see cref="KeptFor"/>.
/// </summary>
public sealed class RequestDraft
{
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    /// <summary>The review's submission key (32 hex digits), which the request is stored under once submitted.</summary>
    public string SubmissionKey { get; set; } = "";

    public string PartnerUserId { get; set; } = "";

    /// <summary>The form's values as reviewed, as JSON.</summary>
    public string Values { get; set; } = "";

    public DateTime CreatedAt { get; set; }
}
