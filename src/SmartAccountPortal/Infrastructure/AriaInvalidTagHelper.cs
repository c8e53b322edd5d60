using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// Marks a field that failed validation with aria-invalid="true" and points
/// aria-describedby at its help text and its error, so a screen reader announces both. Works
/// for errors found only on the server, since it reads ModelState. The first such field on the
/// page takes the focus, unless an error summary before it did (<see cref="FocusTagHelper"/>).
/// </summary>
[HtmlTargetElement("input", Attributes = "asp-for")]
[HtmlTargetElement("textarea", Attributes = "asp-for")]
public sealed class AriaInvalidTagHelper : TagHelper
{
    // After the framework's own input/textarea helpers, which write id and name.
    public override int Order => 1000;

    [HtmlAttributeName("asp-for")]
    public ModelExpression For { get; set; } = null!;

    /// <summary>The id of the field's help text, when it has one.</summary>
    [HtmlAttributeName("asp-help")]
    public string? HelpId { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var id = TagBuilder.CreateSanitizedId(For.Name, "_");
        var describedBy = new List<string>();
        if (HelpId is not null)
        {
            describedBy.Add(HelpId);
        }

        if (ViewContext.ViewData.ModelState.TryGetValue(For.Name, out var entry)
            && entry.ValidationState == ModelValidationState.Invalid)
        {
            output.Attributes.SetAttribute("aria-invalid", "true");
            describedBy.Add(id + "-error");
            if (FocusTagHelper.Claim(ViewContext.HttpContext))
            {
                FocusTagHelper.Focus(output);
            }
        }

        if (describedBy.Count > 0)
        {
            output.Attributes.SetAttribute("aria-describedby", string.Join(' ', describedBy));
        }
    }
}
