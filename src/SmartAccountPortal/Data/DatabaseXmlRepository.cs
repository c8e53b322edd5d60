using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace SmartAccountPortal.Data;

/// <summary>
/// Keeps Data Protection keys (cookies, antiforgery, TempData) in the portal's database, so
/// every instance reads the same key ring and a restart signs nobody out. The ring is read
/// over a plain connection: the first page needs it, and need not wait for EF Core's model.
/// </summary>
internal sealed class DatabaseXmlRepository(IServiceScopeFactory scopes, PlainConnection plain) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = plain.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Xml FROM DataProtectionKeys ORDER BY Id";
        using var reader = command.ExecuteReader();
        var keys = new List<XElement>();
        while (reader.Read())
        {
            keys.Add(XElement.Parse(reader.GetString(0)));
        }

        return keys;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKey
        {
            FriendlyName = friendlyName,
            Xml = element.ToString(SaveOptions.DisableFormatting),
        });
        db.SaveChanges();
    }
}
