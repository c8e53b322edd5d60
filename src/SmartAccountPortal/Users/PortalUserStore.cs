using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SmartAccountPortal.Data;
using SmartAccountPortal.Domain;

namespace SmartAccountPortal.Users;

/// <summary>
/// Identity's store, with the signed-in person looked up (<c>GetUserAsync</c>, <c>FindByIdAsync</c>)
/// by a compiled query. The standard store uses EF Core 6's <c>FindAsync</c>, which compiles an
/// expression for the key on every call (a dynamic method, later finalised): a tenth of the CPU a
/// submission took.
/// </summary>
internal sealed class PortalUserStore(PortalDbContext context, IdentityErrorDescriber? describer = null)
    : UserStore<PortalUser, IdentityRole, PortalDbContext>(context, describer)
{
    // Null when there is no such person, as Identity's own store answers (its signature says otherwise).
    private static readonly Func<PortalDbContext, string, CancellationToken, Task<PortalUser>> ById =
        EF.CompileAsyncQuery((PortalDbContext db, string id, CancellationToken _) => db.Users.FirstOrDefault(u => u.Id == id)!);

    public override Task<PortalUser> FindByIdAsync(string userId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return ById(Context, userId, cancellationToken);
    }
}
