using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>Reads pages and submits their forms the way a browser would, antiforgery token included.</summary>
public static class Html
{
    private static readonly IBrowsingContext Context = BrowsingContext.New(Configuration.Default);

    /// <summary>Parses a response as the page at its address, so relative form actions resolve.</summary>
    public static async Task<IHtmlDocument> ReadAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var address = response.RequestMessage!.RequestUri!.ToString();
        return (IHtmlDocument)await Context.OpenAsync(request => request.Content(html).Address(address));
    }

    /// <summary>
    /// The page a response leads to: the response itself, or for a redirect (the form's post,
    /// then its result by GET) the page at its Location, as a browser would follow it.
    /// </summary>
    public static async Task<IHtmlDocument> ReadFollowingAsync(this HttpClient client, HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther
            ? await client.GetPageAsync(response.Headers.Location!.OriginalString)
            : await ReadAsync(response);

    public static async Task<IHtmlDocument> GetPageAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadAsync(response);
    }

    /// <summary>
    /// Posts <paramref name="form"/> as its <paramref name="button"/> would: every field it holds
    /// (hidden ones too), with <paramref name="values"/> typed over them.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitAsync(
        this HttpClient client,
        IHtmlFormElement form,
        IHtmlButtonElement? button = null,
        IReadOnlyDictionary<string, string>? values = null)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio", IsChecked: false }:
                case IHtmlInputElement { Type: "submit" or "button" }:
                    continue;
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    fields.Add(new(input.Name, input.Value));
                    break;
                case IHtmlTextAreaElement textArea when !string.IsNullOrEmpty(textArea.Name):
                    fields.Add(new(textArea.Name, textArea.Value));
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name, select.Value ?? ""));
                    break;
            }
        }

        // The pressed button's own name and value, as a browser sends them.
        if (!string.IsNullOrEmpty(button?.Name))
        {
            fields.Add(new(button.Name, button.Value));
        }

        if (values is not null)
        {
            foreach (var (name, value) in values)
            {
                fields.RemoveAll(f => f.Key == name);
                fields.Add(new(name, value));
            }
        }

        // As a browser does: the button's formaction, else the form's action, else the page itself.
        var formAction = button?.GetAttribute("formaction");
        var action = string.IsNullOrEmpty(formAction) ? form.Action : new Url(new Url(form.Owner!.Url), formAction).Href;
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    public static IHtmlFormElement Form(this IHtmlDocument document, string selector = "main form") =>
        document.QuerySelector<IHtmlFormElement>(selector) ?? throw new InvalidOperationException($"No form matches '{selector}'.");

    /// <summary>The form in the page's main content whose button reads <paramref name="buttonText"/>.</summary>
    public static IHtmlFormElement FormWith(this IHtmlDocument document, string buttonText) =>
        document.QuerySelectorAll("main form").Cast<IHtmlFormElement>().Single(f => f.QuerySelector("button")?.TextContent == buttonText);

    /// <summary>Ticks the checkboxes named <paramref name="name"/> whose value <paramref name="ticked"/> accepts, and clears the others.</summary>
    public static void Tick(this IHtmlFormElement form, string name, Func<string, bool> ticked)
    {
        foreach (var box in form.QuerySelectorAll($"input[type=checkbox][name={name}]").OfType<IHtmlInputElement>())
        {
            box.IsChecked = ticked(box.Value);
        }
    }

    public static IHtmlButtonElement Button(this IHtmlFormElement form, string text) =>
        form.QuerySelectorAll<IHtmlButtonElement>("button").SingleOrDefault(b => b.TextContent.Trim() == text)
        ?? throw new InvalidOperationException($"No button '{text}' in the form.");

    /// <summary>Signs in through the real sign-in page, and the code step when the account has an authenticator app.</summary>
    public static async Task SignInAsync(this HttpClient client, string email, string password = PortalFactory.Password)
    {
        var page = await client.GetPageAsync("/Identity/Account/Login");
        using var response = await client.SubmitAsync(page.Form(), values: new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        if (response.Headers.Location?.OriginalString.Contains("/LoginWith2fa", StringComparison.Ordinal) == true)
        {
            var codeStep = await client.GetPageAsync(response.Headers.Location.OriginalString);
            using var signedIn = await client.SubmitAsync(codeStep.Form(), values: new Dictionary<string, string> { ["Input.Code"] = TestAuthenticator.CodeFor(email) });
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.DoesNotContain("/Login", signedIn.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        }
    }
}
