using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Residents;

/// <summary>ASP.NET Core Data Protection's key ring in <c>data_protection_keys</c>, so every node accepts the staff
/// cookies and mini-program tokens any node issued. The framework calls this synchronously and rarely (start-up and
/// key roll-over), hence the synchronous ADO calls.</summary>
internal sealed class DatabaseKeyRing(DatabaseTarget database, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys ORDER BY created_at";
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var connection = database.DataSource.OpenConnection();
        using var command = connection.CreateCommand();

        // Two nodes creating the first key at once both keep theirs; the key ring holds several keys anyway.
        command.CommandText = "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@name, @xml, @now) ON CONFLICT (friendly_name) DO NOTHING";
        command.AddParameter("@name", friendlyName);
        command.AddParameter("@xml", element.ToString(SaveOptions.DisableFormatting));
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        command.ExecuteNonQuery();
    }
}
