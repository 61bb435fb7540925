using System.Net;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

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
        Assert.Contains("WeChatAssist 模拟器", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
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
