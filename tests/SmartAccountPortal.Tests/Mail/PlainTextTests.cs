using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Tests.Mail;

/// <summary>The plain-text part is read from the HTML, so both say the same thing in the layout each reader expects.</summary>
public sealed class PlainTextTests
{
    [Fact]
    public void FromHtml_ParagraphsLinesListsAndQuotes_ReadAsPlainText()
    {
        const string html = """
            <!DOCTYPE html><html lang="it"><head><meta charset="utf-8"/><title>Attiva lo   Smart Account</title><style>p{color:red}</style></head>
            <body><div><p>Buongiorno,</p>
                <p>Nome account: Societ&#xE0; &amp; Figli<br>
                   Dominio: example.it</p>
                <ul><li>anna@example.it</li><li>bruno@example.it</li></ul>
                <p>Nota:</p><blockquote><p>Prima riga<br>seconda riga</p></blockquote>
                <p>Fine&#xA0;testo.</p></div>
            <hr><p>Perch&#xE9;<br>Portal</p></body></html>
            """;

        var result = PlainText.FromHtml(html);

        Assert.Equal("Attiva lo Smart Account", result.Title);
        Assert.Equal(
            "Buongiorno,\n\nNome account: Società & Figli\nDominio: example.it\n\n- anna@example.it\n- bruno@example.it\n\nNota:\n\n> Prima riga\n> seconda riga\n\nFine testo.\n\n--\nPerché\nPortal\n",
            result.Text);
    }

    [Fact]
    public void FromHtml_HtmlOnlyElementsAndLinks_LeaveButtonsOutAndWriteAddressesOut()
    {
        const string html = """
            <p data-html-only><a href="https://portal.test/a">Activate</a></p>
            <p><span data-html-only>If the button does not work:<br></span><a href="https://portal.test/a">https://portal.test/a</a></p>
            <p>See <a href="https://portal.test/help?x=1&amp;y=2">the help</a> or <a href="mailto:s@example.com">s@example.com</a>.</p>
            """;

        var text = PlainText.FromHtml(html).Text;

        Assert.Equal("https://portal.test/a\n\nSee the help (https://portal.test/help?x=1&y=2) or s@example.com.\n", text);
    }

    [Fact]
    public void FromHtml_EncodedMarkupInText_StaysText()
    {
        var text = PlainText.FromHtml("<p>&lt;b&gt;Contoso&lt;/b&gt; &lt;script&gt;x&lt;/script&gt;</p>").Text;

        Assert.Equal("<b>Contoso</b> <script>x</script>\n", text);
    }
}
