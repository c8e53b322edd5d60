using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Mail;

namespace SmartAccountPortal.Tests.Infrastructure;

/// <summary>Stores requests directly (through the domain's Submit), for lists that need many rows.</summary>
public static class Seeding
{
    public static async Task<List<AccountRequest>> SeedRequestsAsync(
        this PortalFactory factory, string partnerEmail, int count, Func<int, string>? accountName = null, TimeSpan? apart = null)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var partner = await db.Users.SingleAsync(u => u.Email == partnerEmail);
        var created = new List<AccountRequest>();
        for (var i = 0; i < count; i++)
        {
            var request = Submit(factory, partner, accountName?.Invoke(i) ?? $"Seeded {i:000}", ActivationTokens.Create().Hash);
            db.Requests.Add(request);
            created.Add(request);
            factory.Clock.Advance(apart ?? TimeSpan.FromMinutes(1));
        }

        await db.SaveChangesAsync();
        return created;
    }

    /// <summary>One Pending request of <paramref name="partnerEmail"/>'s, and the path of the activation link its customer's e-mail carries.</summary>
    public static async Task<(AccountRequest Request, string ActivationPath)> SeedOpenRequestAsync(this PortalFactory factory, string partnerEmail)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var (token, hash) = ActivationTokens.Create();
        var request = Submit(factory, await db.Users.SingleAsync(u => u.Email == partnerEmail), "Contoso Pharmaceuticals", hash);
        db.Requests.Add(request);
        await db.SaveChangesAsync();
        return (request, RequestMailer.ActivationPath(token));
    }

    private static AccountRequest Submit(PortalFactory factory, PortalUser partner, string accountName, string tokenHash)
    {
        var domain = RequestSteps.NewDomain();
        return AccountRequest.Submit(
            ReferenceGenerator.Next(),
            new RequestDetails(accountName, $"it@{domain}", domain, null, [], null),
            partner,
            Guid.NewGuid().ToString("N"),
            tokenHash,
            factory.Clock.GetUtcNow().UtcDateTime,
            AccountRequest.DefaultExpiresAfter);
    }
}
