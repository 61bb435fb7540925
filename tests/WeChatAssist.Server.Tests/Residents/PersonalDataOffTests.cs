using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

public sealed class PersonalDataOffTests
{
    [Fact]
    public async Task Outside_development_without_keys_the_server_starts_and_personal_data_endpoints_answer_503()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, "Production");
        using var client = server.CreateClient();

        using var session = await client.PostAsJsonAsync("/api/v1/mp/session", new { account = "pengshui", code = "abc" });
        var body = JsonDocument.Parse(await session.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, session.StatusCode);
        Assert.Equal("personalDataOff", body.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(new Uri("/api/v1/admin/residents", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_partly_configured_key_set_stops_start_up_naming_the_key()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, "Production", extra: new Dictionary<string, string?> { ["PersonalData:ActiveKeyId"] = "k1" });

        var error = Assert.ThrowsAny<Exception>(() => server.CreateClient());

        Assert.Contains("PersonalData:Keys:", error.ToString(), StringComparison.Ordinal);
    }
}
