namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>Reading an e-mail's plain text the way a recipient reads it.</summary>
public static class MailText
{
    /// <summary>The one line holding a link that contains <paramref name="fragment"/>; it must be a whole, absolute link.</summary>
    public static string Link(string? text, string fragment)
    {
        Assert.NotNull(text);
        var line = Assert.Single(text.Split('\n').Select(l => l.Trim()), l => l.Contains(fragment, StringComparison.Ordinal));
        Assert.True(Uri.IsWellFormedUriString(line, UriKind.Absolute), $"Not a link on a line of its own: {line}");
        return line;
    }
}
