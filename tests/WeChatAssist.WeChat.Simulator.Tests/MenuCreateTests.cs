using System.Net.Http.Json;
using System.Text.Json;
using WeChatAssist.WeChat.Simulator.Chat;

namespace WeChatAssist.WeChat.Simulator.Tests;

/// <summary><c>cgi-bin/menu/create</c> checks a menu the way WeChat documents it and the chat page serves the accepted one.</summary>
public sealed class MenuCreateTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await SimulatorHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["WeChat:Simulator:Apps:wxMenu"] = "menu-secret",
                ["WeChat:Accounts:county:AppId"] = "wxMenu",
                ["WeChat:Accounts:county:AppSecret"] = "menu-secret",
                ["WeChat:Accounts:county:Token"] = "token",
            },
            services => services.AddWeChat(),
            app => app.MapWeChatSimulatorChat());

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Click(string name, string key = "MENU_1") => new { type = "click", name, key };

    private async Task<int> CreateAsync(object[] buttons)
    {
        using var tokenResponse = await _host.Http.PostAsJsonAsync("/wechat-sim/cgi-bin/stable_token", new { grant_type = "client_credential", appid = "wxMenu", secret = "menu-secret" });
        var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString();
        using var response = await _host.Http.PostAsJsonAsync("/wechat-sim/cgi-bin/menu/create?access_token=" + token, new { button = buttons });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errcode").GetInt32();
    }

    public static TheoryData<string, object[], int> RefusedMenus() => new()
    {
        { "four top buttons", [Click("一"), Click("二"), Click("三"), Click("四")], 40016 },
        { "no button", [], 40016 },
        { "an unknown type", [new { type = "tap", name = "交多少钱", key = "MENU_1" }], 40017 },
        { "a top name of 18 bytes", [Click("交多少钱交多")], 40018 },
        { "a click without key", [new { type = "click", name = "交多少钱" }], 40019 },
        { "a view without url", [new { type = "view", name = "政策" }], 40020 },
        { "six sub-buttons", [new { name = "更多", sub_button = Enumerable.Range(1, 6).Select(i => Click("问题" + i, "MENU_" + i)).ToArray() }], 40023 },
        { "a sub-button of 63 bytes", [new { name = "更多", sub_button = new[] { Click(new string('问', 21)) } }], 40025 },
    };

    [Theory]
    [MemberData(nameof(RefusedMenus))]
    public async Task A_menu_WeChat_would_refuse_is_refused_with_its_errcode(string what, object[] buttons, int expected) =>
        Assert.True(expected == await CreateAsync(buttons), what);

    [Fact]
    public async Task An_accepted_menu_is_served_to_the_chat_page_and_a_later_one_replaces_it()
    {
        Assert.Equal("[]", await _host.Http.GetStringAsync("/simulator/api/menu?account=county"));

        Assert.Equal(0, await CreateAsync([Click("交多少钱"), new { name = "更多", sub_button = new object[] { Click("什么时候交", "MENU_2"), new { type = "view", name = "政策原文", url = "https://example.invalid/p" } } }]));
        var menu = JsonDocument.Parse(await _host.Http.GetStringAsync("/simulator/api/menu?account=county")).RootElement;
        Assert.Equal(["交多少钱", "更多"], menu.EnumerateArray().Select(b => b.GetProperty("name").GetString()));
        Assert.Equal("https://example.invalid/p", menu[1].GetProperty("sub_button")[1].GetProperty("url").GetString());

        Assert.Equal(0, await CreateAsync([Click("人工咨询", "MENU_9")]));
        menu = JsonDocument.Parse(await _host.Http.GetStringAsync("/simulator/api/menu?account=county")).RootElement;
        Assert.Equal("MENU_9", Assert.Single(menu.EnumerateArray()).GetProperty("key").GetString());
    }

    [Fact]
    public async Task A_refused_menu_leaves_the_previous_one()
    {
        Assert.Equal(0, await CreateAsync([Click("交多少钱")]));
        Assert.Equal(40018, await CreateAsync([Click("交多少钱交多")]));
        Assert.Contains("MENU_1", await _host.Http.GetStringAsync("/simulator/api/menu?account=county"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_account_has_no_menu()
    {
        using var response = await _host.Http.GetAsync(new Uri("/simulator/api/menu?account=nowhere", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}
