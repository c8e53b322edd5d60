using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SmartAccountPortal.Domain;
using SmartAccountPortal.Tests.Infrastructure;

namespace SmartAccountPortal.Tests.Data;

/// <summary>
/// A start on a database that is up to date asks it two questions over a plain connection and
/// reads the Data Protection keys the same way; anything missing sends it through EF Core's
/// migrations and the role manager, as on a new database.
/// </summary>
public sealed class StartupTests
{
    [Fact]
    public async Task ASecondInstance_OnAnUpToDateDatabase_SharesItsKeysAndItsAccounts()
    {
        using var first = new PortalFactory();
        var (firstClient, email) = await first.NewPartnerAsync();
        firstClient.Dispose();
        var sealedByFirst = first.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("startup-test").Protect("kept");
        var keys = await first.WithDbAsync(db => db.DataProtectionKeys.CountAsync());

        using var second = PortalFactory.SecondInstanceOf(first);
        using var secondClient = second.CreatePortalClient();
        await secondClient.SignInAsync(email);

        // The key ring came from the database: no new key, and the first instance's data opens.
        Assert.Equal("kept", second.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("startup-test").Unprotect(sealedByFirst));
        Assert.Equal(keys, await second.WithDbAsync(db => db.DataProtectionKeys.CountAsync()));
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/Requests")).StatusCode);
    }

    [Fact]
    public async Task ARoleMissingFromTheDatabase_IsMadeAgainAtStart()
    {
        using var first = new PortalFactory();
        _ = first.Services;
        await first.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM AspNetRoles WHERE Name = {0}", Roles.Support));

        using var second = PortalFactory.SecondInstanceOf(first);
        _ = second.Services;

        var roles = await second.WithDbAsync(db => db.Roles.Select(r => r.Name!).ToListAsync());
        Assert.Equal(Roles.All.Order(), roles.Order());
    }
}
