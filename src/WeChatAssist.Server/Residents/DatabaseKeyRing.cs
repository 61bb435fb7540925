using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Residents;

/// <summary>ASP.NET Core Data Protection's key ring in <c>data_protection_keys</c>, so every node accepts the staff
/// cookies and mini-program tokens any node issued. The framework calls this synchronously and rarely (start-up and
/// key roll-over), hence the synchronous calls (Dapper opens and closes the connection).</summary>
internal sealed class DatabaseKeyRing(DatabaseTarget database, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.DataSource.CreateConnection();
        return [.. connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at").Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        // Two nodes creating the first key at once both keep theirs; the key ring holds several keys anyway.
        using var connection = database.DataSource.CreateConnection();
        connection.Execute(
            "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@friendlyName, @xml, @now) ON CONFLICT (friendly_name) DO NOTHING",
            new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting), now = clock.GetUtcNow() });
    }
}
