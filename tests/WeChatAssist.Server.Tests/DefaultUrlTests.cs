using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using WeChatAssist.Server.Hosting;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class DefaultUrlTests
{
    [Fact]
    public void Without_any_address_configured_the_server_listens_on_localhost_5080()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });

        builder.UseDefaultUrlUnlessConfigured();

        Assert.Equal("http://localhost:5080", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:6001")]
    [InlineData("--http_ports", "6002")]
    public void An_address_given_on_the_command_line_wins(string option, string value)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [option, value] });

        builder.UseDefaultUrlUnlessConfigured();

        Assert.NotEqual("http://localhost:5080", builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey));
    }

    [Fact]
    public async Task A_port_already_in_use_is_reported_in_one_line()
    {
        using var file = new TempSqliteFile();
        using var occupied = new TcpListener(IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((IPEndPoint)occupied.LocalEndpoint).Port;

        var result = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = file.ConnectionString,
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        });

        Assert.Equal(4, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"Cannot listen: Failed to bind to address http://127.0.0.1:{port}: address already in use.", line, StringComparison.Ordinal);
    }
}
