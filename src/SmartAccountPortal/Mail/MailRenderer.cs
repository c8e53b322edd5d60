using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace SmartAccountPortal.Mail;

/// <summary>An e-mail as its template wrote it: the subject (the template's title), the HTML and the same words as plain text.</summary>
public sealed record RenderedMail(string Subject, string Html, string Text);

/// <summary>
/// Renders an e-mail from its template (a component in <c>Templates/</c>), outside any HTTP
/// request, in the current culture. One renderer serves its scope (an expiry batch renders
/// hundreds of e-mails), and is disposed with it.
/// </summary>
public sealed class MailRenderer(IServiceProvider services, ILoggerFactory loggers) : IDisposable, IAsyncDisposable
{
    private HtmlRenderer? renderer;

    public async Task<RenderedMail> RenderAsync<TTemplate>(IDictionary<string, object?> parameters)
        where TTemplate : IComponent
    {
        renderer ??= new HtmlRenderer(services, loggers);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TTemplate>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
        var plain = PlainText.FromHtml(html);
        return new RenderedMail(plain.Title, html, plain.Text);
    }

    public void Dispose() => renderer?.Dispose();

    public ValueTask DisposeAsync() => renderer?.DisposeAsync() ?? ValueTask.CompletedTask;
}
