using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.WeChat;

/// <summary><c>WeChat:Accounts:{name}:Menu</c> goes to WeChat with menu/create at start and again when the setting
/// changes; a menu WeChat refuses is one log line naming the button, and the server runs on.</summary>
public sealed class AccountMenuTests : IAsyncLifetime
{
    private LoopbackSimulator _wechat = null!;
    private readonly string _menuFile = Path.Combine(Path.GetTempPath(), $"wca-menu-{Guid.NewGuid():N}.json");

    public async Task InitializeAsync() => _wechat = await LoopbackSimulator.StartAsync();

    public async Task DisposeAsync()
    {
        await _wechat.DisposeAsync();
        File.Delete(_menuFile);
    }

    private Dictionary<string, string?> Settings(params string[] accounts)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeChat:PublishMenus"] = "true",
            ["WeChat:ApiBaseAddress"] = _wechat.ApiBaseAddress.ToString(),
        };
        foreach (var (account, i) in accounts.Select((a, i) => (a, i)))
        {
            settings[$"WeChat:Accounts:{account}:AppId"] = $"wxmenu{i}{Guid.NewGuid():N}"[..18];
            settings[$"WeChat:Accounts:{account}:AppSecret"] = "secret-" + account;
            settings[$"WeChat:Accounts:{account}:Token"] = "token" + account;
            settings[$"WeChat:Accounts:{account}:EncodingAESKey"] = "";
        }

        return settings;
    }

    private void WriteMenus(object accounts) =>
        File.WriteAllText(_menuFile, JsonSerializer.Serialize(new { WeChat = new { Accounts = accounts } }));

    private Task<WeChatAssist.WeChat.Simulator.Api.SimulatorCall> MenuCallAsync(string appId, string containing) =>
        _wechat.CallLog.WaitForAsync(c => c.Endpoint == "cgi-bin/menu/create" && c.AppId == appId && c.Body!.Contains(containing, StringComparison.Ordinal), TimeSpan.FromSeconds(60), CancellationToken.None);

    [Fact]
    public async Task The_menu_is_pushed_at_start_and_again_when_the_setting_changes()
    {
        var settings = Settings("county");
        WriteMenus(new { county = new { Menu = new object[] { new { Name = "交多少钱", Key = "MENU_1" }, new { Name = "更多", SubButtons = new object[] { new { Name = "政策原文", Url = "https://example.invalid/policy" } } } } } });
        await using var server = ServerFactory.ForSqlite(new TempSqliteFile().ConnectionString, "Production", extra: settings,
            configuration: c => c.AddJsonFile(_menuFile, optional: false, reloadOnChange: true));
        _ = server.CreateClient();
        var appId = settings["WeChat:Accounts:county:AppId"]!;

        var first = await MenuCallAsync(appId, "MENU_1");
        Assert.Equal(0, first.ErrorCode);
        var buttons = JsonDocument.Parse(first.Body!).RootElement.GetProperty("button");
        Assert.Equal("click", buttons[0].GetProperty("type").GetString());
        Assert.Equal("view", buttons[1].GetProperty("sub_button")[0].GetProperty("type").GetString());
        Assert.False(buttons[1].TryGetProperty("type", out _));

        WriteMenus(new { county = new { Menu = new object[] { new { Name = "人工咨询", Key = "MENU_9" } } } });
        var second = await MenuCallAsync(appId, "MENU_9");
        Assert.Equal(0, second.ErrorCode);
    }

    [Fact]
    public async Task A_refused_menu_is_one_log_line_naming_the_button_and_the_other_accounts_still_get_theirs()
    {
        var settings = Settings("broken", "fine");
        WriteMenus(new
        {
            broken = new { Menu = new object[] { new { Name = "交多少钱交多少钱", Key = "MENU_1" } } },
            fine = new { Menu = new object[] { new { Name = "交多少钱", Key = "MENU_1" } } },
        });
        var log = new CapturingLoggerProvider();
        await using var server = ServerFactory.ForSqlite(new TempSqliteFile().ConnectionString, "Production", s => s.AddSingleton<ILoggerProvider>(log), settings,
            c => c.AddJsonFile(_menuFile, optional: false, reloadOnChange: false));
        var client = server.CreateClient();

        await MenuCallAsync(settings["WeChat:Accounts:fine:AppId"]!, "MENU_1");
        var refused = await MenuCallAsync(settings["WeChat:Accounts:broken:AppId"]!, "MENU_1");
        Assert.Equal(40018, refused.ErrorCode);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!log.Lines.Any(l => l.Contains("refused the menu", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var line = Assert.Single(log.Lines, l => l.Contains("refused the menu", StringComparison.Ordinal));
        Assert.Contains("'broken'", line, StringComparison.Ordinal);
        Assert.Contains("40018", line, StringComparison.Ordinal);
        Assert.Contains("button '交多少钱交多少钱' has a name of 24 bytes", line, StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/healthz", UriKind.Relative))).StatusCode);
    }
}
