using Microsoft.AspNetCore.Mvc.ModelBinding;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Localization;
using SmartAccountPortal.Webhooks;

namespace SmartAccountPortal.Validation;

/// <summary>The checks of a webhook endpoint's fields, shared by the form that adds one and the one that changes it.</summary>
public static class WebhookFields
{
    /// <summary>The events ticked (their wire names), as a set; a message next to the field when there are none, or one is unknown.</summary>
    public static WebhookEvent CheckEvents(ModelStateDictionary state, string field, IEnumerable<string>? ticked)
    {
        var parsed = (ticked ?? []).Select(WebhookEvents.Parse).ToList();
        var events = parsed.Aggregate(WebhookEvent.None, (set, e) => set | e);
        if (events == WebhookEvent.None || parsed.Contains(WebhookEvent.None))
        {
            state.AddModelError(field, Texts.Get("Webhooks.Events.Choose"));
        }

        return events;
    }

    /// <summary>The description trimmed, or null when empty; a message when it is too long or spans lines.</summary>
    public static string? CheckDescription(ModelStateDictionary state, string field, string? description)
    {
        var trimmed = description?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > WebhookEndpoint.DescriptionMax || InputRules.HasControlCharacters(trimmed))
        {
            state.AddModelError(field, Texts.Format("Webhooks.Description.Rules", WebhookEndpoint.DescriptionMax));
        }

        return trimmed;
    }

    /// <summary>The address trimmed; a message when it is missing, too long, not HTTPS or (unless allowed) local or private.</summary>
    public static string CheckUrl(ModelStateDictionary state, string field, string? url, WebhookEndpoints endpoints)
    {
        var trimmed = (url ?? "").Trim();
        if (trimmed.Length == 0)
        {
            state.AddModelError(field, Texts.Get("Webhooks.Url.Enter"));
        }
        else if (trimmed.Length > WebhookEndpoint.UrlMax || InputRules.HasControlCharacters(trimmed))
        {
            state.AddModelError(field, Texts.Format("Webhooks.Url.TooLong", WebhookEndpoint.UrlMax));
        }
        else if (endpoints.UrlProblem(trimmed) is { } problem)
        {
            state.AddModelError(field, Texts.Get(problem));
        }

        return trimmed;
    }
}
