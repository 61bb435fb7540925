using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.WeChat.Simulator.Tests;

public sealed class CustomerServiceWindowTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private SimulatorHost _host = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _host = await SimulatorHost.StartAsync(
            new Dictionary<string, string?> { ["WeChat:Simulator:EnforceCustomerServiceWindow"] = "true" },
            s => s.AddKeyedSingleton<TimeProvider>(WeChatSimulatorServiceCollectionExtensions.ClockServiceKey, _clock));
        await RenewTokenAsync();
    }

    private async Task RenewTokenAsync()
    {
        using var response = await _host.Http.PostAsJsonAsync("/wechat-sim/cgi-bin/stable_token", new { grant_type = "client_credential", appid = "wxA", secret = "s" });
        _token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<int> SendAsync(string openId, string path = "cgi-bin/message/custom/send", object? body = null)
    {
        using var response = await _host.Http.PostAsJsonAsync($"/wechat-sim/{path}?access_token={_token}", body ?? new { touser = openId, msgtype = "text", text = new { content = "hi" } });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errcode").GetInt32();
    }

    [Fact]
    public async Task Someone_who_never_wrote_cannot_be_sent_customer_service_messages() =>
        Assert.Equal(45015, await SendAsync("oSilent"));

    [Fact]
    public async Task Five_messages_are_allowed_after_a_person_writes_then_45047()
    {
        _host.Get<SimulatorState>().RecordInbound("wxA", "oWriter");
        var codes = new List<int>();
        for (var i = 0; i < 6; i++)
            codes.Add(await SendAsync("oWriter"));
        Assert.Equal([0, 0, 0, 0, 0, 45047], codes);
    }

    [Fact]
    public async Task The_window_closes_after_48_hours()
    {
        _host.Get<SimulatorState>().RecordInbound("wxA", "oOld");
        _clock.Advance(TimeSpan.FromHours(49));
        await RenewTokenAsync();
        Assert.Equal(45015, await SendAsync("oOld"));
    }

    [Theory]
    [InlineData("thing1", 20, 0)]
    [InlineData("thing1", 21, 47003)]
    [InlineData("phrase2", 6, 47003)]
    [InlineData("character_string3", 32, 0)]
    [InlineData("character_string3", 33, 47003)]
    [InlineData("time4", 40, 0)]
    public async Task Template_fields_longer_than_their_type_allows_are_refused(string key, int length, int expected)
    {
        var body = new Dictionary<string, object>
        {
            ["touser"] = "oX",
            ["template_id"] = "T",
            ["data"] = new Dictionary<string, object> { [key] = new { value = new string('字', length) } },
        };
        Assert.Equal(expected, await SendAsync("oX", "cgi-bin/message/template/send", body));
        Assert.Equal(expected, await SendAsync("oX", "cgi-bin/message/subscribe/bizsend", body));
    }
}
