using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class KeyRingEncryptionTests
{
    private static readonly Dictionary<string, string?> Keys = new()
    {
        ["PersonalData:Keys:k1"] = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        ["PersonalData:ActiveKeyId"] = "k1",
        ["PersonalData:LookupKey"] = Convert.ToBase64String(Enumerable.Range(101, 32).Select(i => (byte)i).ToArray()),
    };

    [Fact]
    public async Task The_key_ring_is_stored_encrypted_with_the_personal_data_key_and_read_back_by_the_next_start()
    {
        using var file = new TempSqliteFile();
        string token;
        await using (var first = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, file.ConnectionString, Keys))
        {
            token = await first.SessionAsync(TestIds.OpenId());
            var xml = await ReadKeyRingAsync(first);

            Assert.NotEmpty(xml);
            Assert.All(xml, x => Assert.Contains(PersonalDataXmlEncryptor.ElementName, x, StringComparison.Ordinal));
            Assert.All(xml, x => Assert.DoesNotContain("<value>", x, StringComparison.Ordinal));
        }

        await using var second = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, file.ConnectionString, Keys);

        Assert.Equal(HttpStatusCode.OK, (await second.MeAsync(token)).Status);
    }

    private static async Task<List<string>> ReadKeyRingAsync(ResidentServer server)
    {
        var database = server.Services.GetRequiredService<DatabaseTarget>();
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys";
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
