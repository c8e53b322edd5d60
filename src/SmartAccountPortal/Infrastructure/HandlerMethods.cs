using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace SmartAccountPortal.Infrastructure;

/// <summary>Marks a page that answers every method itself (the error page).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class AnyMethodAttribute : Attribute;

/// <summary>
/// A request no handler of the page answers (a POST to a page that only shows, PUT, an unknown
/// <c>?handler=</c>) would otherwise render the page without running any handler, on a model
/// nothing filled in. It answers 405 (with <c>Allow</c>) or, for an unknown named handler on a
/// GET, 404.
/// </summary>
internal sealed class UnhandledMethodFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var request = context.HttpContext.Request;
        var readOnly = HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method);
        var handlers = context.ActionDescriptor.HandlerMethods;
        if (context.HandlerMethod is not null
            || (readOnly && handlers.Count == 0)
            || context.ActionDescriptor.ModelTypeInfo?.IsDefined(typeof(AnyMethodAttribute), inherit: false) == true)
        {
            await next();
            return;
        }

        if (readOnly && handlers.Any(h => h.HttpMethod == "Get" && h.Name is null))
        {
            context.Result = new NotFoundResult();
            return;
        }

        var allowed = handlers.Select(h => h.HttpMethod.ToUpperInvariant()).ToHashSet();
        if (handlers.Count == 0 || allowed.Contains("GET"))
        {
            allowed.Add("HEAD");
        }

        context.HttpContext.Response.Headers.Allow = string.Join(", ", allowed.Order(StringComparer.Ordinal));
        context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
    }
}
