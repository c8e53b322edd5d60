using System.Net;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>Makes requests the way a partner does: through the form, the review and the submit.</summary>
public static class RequestSteps
{
    public static string NewDomain() => $"d{Guid.NewGuid():N}"[..18] + ".com";

    /// <summary>Signs in a new partner of <paramref name="organisation"/>; returns the client and the partner's e-mail.</summary>
    public static async Task<(HttpClient Client, string Email)> NewPartnerAsync(this PortalFactory factory, string organisation = "Northwind Partners")
    {
        var email = $"partner-{Guid.NewGuid():N}@example.com";
        await factory.CreateUserAsync(email, organisation: organisation);
        var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        return (client, email);
    }

    /// <summary>Signs in a new support agent; returns the client and the agent's e-mail.</summary>
    public static Task<(HttpClient Client, string Email)> NewSupportAsync(this PortalFactory factory) =>
        factory.NewStaffAsync(Roles.Support, "support");

    public static Task<(HttpClient Client, string Email)> NewAdministratorAsync(this PortalFactory factory) =>
        factory.NewStaffAsync(Roles.Administrator, "admin");

    /// <summary>Signs in a new partner who administers <paramref name="organisation"/> (People, API keys).</summary>
    public static async Task<(HttpClient Client, string Email)> NewOrganisationAdministratorAsync(this PortalFactory factory, string organisation, bool twoFactor = false)
    {
        var email = $"lead-{Guid.NewGuid():N}@reseller.example";
        var user = await factory.CreateUserAsync(email, organisation: organisation, twoFactor: twoFactor);
        await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE AspNetUsers SET AdministersOrganisation = 1 WHERE Id = {user.Id}"));
        var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        return (client, email);
    }

    /// <summary>A signed-in staff member with an authenticator app (the sign-in types its code).</summary>
    private static async Task<(HttpClient Client, string Email)> NewStaffAsync(this PortalFactory factory, string role, string prefix)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}@vendor.example";
        await factory.CreateUserAsync(email, role);
        var client = factory.CreatePortalClient();
        await client.SignInAsync(email);
        return (client, email);
    }

    public static async Task<AccountRequest> SubmitAsync(
        this PortalFactory factory, HttpClient client, string domain, string userEmails = "", string? noteToCustomer = "Please accept this week.", string? noteToUsers = "Welcome aboard.")
    {
        var page = await client.GetPageAsync("/Requests/New");
        var form = page.Form("#request-form");
        using var review = await client.SubmitAsync(form, form.Button("Submit Request"), new Dictionary<string, string>
        {
            ["Input.AccountName"] = "Contoso Pharmaceuticals",
            ["Input.CustomerEmail"] = $"it.lead@{domain}",
            ["Input.AccountDomain"] = domain,
            ["Input.NoteToCustomer"] = noteToCustomer ?? "",
            ["Input.UserEmails"] = userEmails,
            ["Input.NoteToAddedUsers"] = noteToUsers ?? "",
        });
        var dialog = (await client.ReadFollowingAsync(review)).Form("[role=dialog] form");
        using var submitted = await client.SubmitAsync(dialog, dialog.Button("Submit Request"));
        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        return await factory.WithDbAsync(db => db.Requests.Include(r => r.Events).SingleAsync(r => r.AccountDomain == domain));
    }
}
