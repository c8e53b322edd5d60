using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// <c>focus-when="condition"</c>: the element takes the focus as the page opens, through
/// <c>autofocus</c>, so it works without JavaScript, unless something earlier on the page
/// already claimed it. For what the reader must act on first: an error summary, the message
/// after an action, the first field to correct (<see cref="AriaInvalidTagHelper"/>).
/// </summary>
[HtmlTargetElement(Attributes = "focus-when")]
public sealed class FocusTagHelper : TagHelper
{
    private const string Claimed = "SmartAccountPortal.FocusClaimed";

    [HtmlAttributeName("focus-when")]
    public bool When { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        if (When && Claim(ViewContext.HttpContext))
        {
            Focus(output);
        }
    }

    /// <summary>True for the first caller on the page; everyone after leaves the focus where it is.</summary>
    public static bool Claim(HttpContext context) => context.Items.TryAdd(Claimed, true);

    /// <summary>Focused when the page opens; an element that is not focusable by itself becomes so (not in the Tab order).</summary>
    public static void Focus(TagHelperOutput output)
    {
        output.Attributes.SetAttribute("autofocus", "autofocus");
        if (output.TagName is not ("input" or "textarea" or "select" or "button" or "a") && !output.Attributes.ContainsName("tabindex"))
        {
            output.Attributes.SetAttribute("tabindex", "-1");
        }
    }
}

public static class ModelStateExtensions
{
    /// <summary>Whether the form as a whole was refused (a wrong password, say), not only a field.</summary>
    public static bool HasFormErrors(this Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state) =>
        state.TryGetValue(string.Empty, out var entry) && entry.Errors.Count > 0;
}
