using System.Net;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.WeChat;

public sealed class SimulatorPageTests
{
    [Fact]
    public async Task Simulator_page_is_served_in_Development()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, "Development");

        using var response = await server.CreateClient().GetAsync(new Uri("/simulator", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<title>微信模拟器</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Development_ships_the_four_county_accounts_one_of_them_in_plaintext_mode()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, "Development");

        using var response = await server.CreateClient().GetAsync(new Uri("/simulator/api/accounts", UriKind.Relative));
        var accounts = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray()
            .ToDictionary(a => a.GetProperty("name").GetString()!, a => a.GetProperty("encrypted").GetBoolean());

        Assert.Equal(new Dictionary<string, bool> { ["dianjiang-xinmin"] = false, ["pengshui"] = true, ["suiping"] = true, ["wenxi"] = true }, accounts);
    }

    [Fact]
    public async Task Simulator_page_does_not_exist_in_Production()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, "Production");

        using var response = await server.CreateClient().GetAsync(new Uri("/simulator", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
