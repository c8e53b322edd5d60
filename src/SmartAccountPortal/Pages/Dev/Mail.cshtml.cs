using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Pages.Dev;

/// <summary>
/// Development only: the e-mails written to the pickup directory, newest first, each one
/// readable with its links clickable, so the whole flow (customer included) can be walked
/// with nothing but `dotnet run`. Anywhere else it answers 404.
/// </summary>
[AllowAnonymous]
public sealed partial class MailModel(IHostEnvironment environment, IOptions<MailOptions> options) : PageModel
{
    public sealed record Entry(string File, EmlFile Mail, DateTime Written);

    public IReadOnlyList<Entry> Messages { get; private set; } = [];

    public Entry? Selected { get; private set; }

    public string Directory { get; private set; } = "";

    /// <summary>The plain-text body, encoded, with each web address made a link.</summary>
    public static IHtmlContent WithLinks(string? text)
    {
        var content = new HtmlContentBuilder();
        foreach (var piece in WebAddress().Split(text ?? ""))
        {
            if (WebAddress().IsMatch(piece))
            {
                content.AppendHtml("<a href=\"").Append(piece).AppendHtml("\">").Append(piece).AppendHtml("</a>");
            }
            else
            {
                content.Append(piece);
            }
        }

        return content;
    }

    [GeneratedRegex(@"(https?://[^\s<>""]+)")]
    private static partial Regex WebAddress();

    public IActionResult OnGet(string? file)
    {
        if (!environment.IsDevelopment())
        {
            return NotFound();
        }

        Directory = SmtpMailTransport.PickupDirectory(options.Value, environment);
        var files = new DirectoryInfo(Directory).GetFiles("*.eml").OrderByDescending(f => f.LastWriteTimeUtc).Take(200).ToList();
        Messages = files.Select(f => new Entry(f.Name, EmlFile.Parse(System.IO.File.ReadAllText(f.FullName)), f.LastWriteTimeUtc)).ToList();
        if (file is not null)
        {
            // Only a name from the listing: nothing outside the folder can be asked for.
            Selected = Messages.FirstOrDefault(m => m.File == file);
            if (Selected is null)
            {
                return NotFound();
            }
        }

        return Page();
    }
}
