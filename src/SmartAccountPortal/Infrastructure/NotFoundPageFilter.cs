using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace SmartAccountPortal.Infrastructure;

/// <summary>Turns off a page that comes with the standard account UI (self-registration and the like).</summary>
internal sealed class NotFoundPageFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context) => context.Result = new NotFoundResult();

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
