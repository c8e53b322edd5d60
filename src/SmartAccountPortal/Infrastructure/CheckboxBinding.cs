using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace SmartAccountPortal.Infrastructure;

/// <summary>
/// Binds a <c>bool</c> the way a checkbox posts it: "true" (or "on") is checked, anything
/// else is not. The framework's binder records a value such as "x" as the attempted value,
/// and the checkbox then throws when the page is drawn again; here the recorded value is
/// always a real bool.
/// </summary>
internal sealed class CheckboxModelBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        var values = bindingContext.ValueProvider.GetValue(bindingContext.ModelName);
        if (values == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        var first = values.FirstValue?.Trim();
        var isChecked = string.Equals(first, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(first, "on", StringComparison.OrdinalIgnoreCase);
        bindingContext.ModelState.SetModelValue(bindingContext.ModelName, isChecked, isChecked ? "true" : "false");
        bindingContext.Result = ModelBindingResult.Success(isChecked);
        return Task.CompletedTask;
    }
}

internal sealed class CheckboxModelBinderProvider : IModelBinderProvider
{
    private static readonly CheckboxModelBinder Binder = new();

    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.ModelType == typeof(bool) ? Binder : null;
}
