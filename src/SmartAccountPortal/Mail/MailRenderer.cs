using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace SmartAccountPortal.Mail;

/// <summary>Renders an e-mail's HTML from its template, outside any HTTP request.</summary>
public sealed class MailRenderer(IServiceProvider services, ILoggerFactory loggers)
{
    public async Task<string> HtmlAsync(MailView view)
    {
        await using var renderer = new HtmlRenderer(services, loggers);
        return await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<Templates.MailBody>(ParameterView.FromDictionary(new Dictionary<string, object?> { [nameof(Templates.MailBody.View)] = view }));
            return output.ToHtmlString();
        });
    }
}
