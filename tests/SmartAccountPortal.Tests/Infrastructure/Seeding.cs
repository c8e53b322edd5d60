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
            var domain = RequestSteps.NewDomain();
            var request = AccountRequest.Submit(
                ReferenceGenerator.Next(),
                new RequestDetails(accountName?.Invoke(i) ?? $"Seeded {i:000}", $"it@{domain}", domain, null, [], null),
                partner,
                Guid.NewGuid().ToString("N"),
                ActivationTokens.Create().Hash,
                factory.Clock.GetUtcNow().UtcDateTime,
                AccountRequest.DefaultExpiresAfter);
            db.Requests.Add(request);
            created.Add(request);
            factory.Clock.Advance(apart ?? TimeSpan.FromMinutes(1));
        }

        await db.SaveChangesAsync();
        return created;
    }
}
