using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.WeChat.Simulator.Tests;

public sealed class SimulatedApiTests : IAsyncLifetime
{
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private SimulatorHost _host = null!;

    public async Task InitializeAsync() =>
        _host = await SimulatorHost.StartAsync(
            new Dictionary<string, string?> { ["WeChat:Simulator:Apps:wxKnown"] = "right-secret" },
            s => s.AddKeyedSingleton<TimeProvider>(WeChatSimulatorServiceCollectionExtensions.ClockServiceKey, _clock));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var response = await _host.Http.PostAsJsonAsync("/wechat-sim/" + path, body);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<string> TokenAsync(bool force = false)
    {
        var json = await PostAsync("cgi-bin/stable_token", new { grant_type = "client_credential", appid = "wxKnown", secret = "right-secret", force_refresh = force });
        return json.GetProperty("access_token").GetString()!;
    }

    private static int Code(JsonElement json) => json.GetProperty("errcode").GetInt32();

    [Theory]
    [InlineData("wxKnown", "wrong", 40125)]
    [InlineData("wxUnknown", "right-secret", 40013)]
    [InlineData("wxKnown", "", 41004)]
    public async Task Stable_token_checks_credentials_like_WeChat(string appId, string secret, int expected) =>
        Assert.Equal(expected, Code(await PostAsync("cgi-bin/stable_token", new { grant_type = "client_credential", appid = appId, secret })));

    [Fact]
    public async Task Stable_token_returns_the_same_token_until_forced()
    {
        var first = await TokenAsync();
        Assert.Equal(first, await TokenAsync());
        var forced = await TokenAsync(force: true);
        Assert.NotEqual(first, forced);
        Assert.Equal(40001, Code(await PostAsync("cgi-bin/message/custom/send?access_token=" + first, new { touser = "o", msgtype = "text", text = new { content = "x" } })));
        Assert.Equal(0, Code(await PostAsync("cgi-bin/message/custom/send?access_token=" + forced, new { touser = "o", msgtype = "text", text = new { content = "x" } })));
    }

    [Theory]
    [InlineData("", 41001)]
    [InlineData("made-up-token", 40001)]
    public async Task Calls_with_a_missing_or_unknown_token_are_refused(string token, int expected) =>
        Assert.Equal(expected, Code(await PostAsync("cgi-bin/message/custom/send?access_token=" + token, new { touser = "o", msgtype = "text", text = new { content = "x" } })));

    [Fact]
    public async Task An_expired_token_is_42001()
    {
        var token = await TokenAsync();
        _clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(42001, Code(await PostAsync("cgi-bin/message/custom/send?access_token=" + token, new { touser = "o", msgtype = "text", text = new { content = "x" } })));
    }

    [Fact]
    public async Task Faults_injected_through_the_control_endpoint_apply_to_the_next_calls_only()
    {
        var token = await TokenAsync();
        using (var inject = await _host.Http.PostAsJsonAsync("/wechat-sim/_simulator/faults", new { endpoint = "cgi-bin/message/template/send", kind = "ErrorCode", errorCode = 45009, count = 2 }))
            Assert.True(inject.IsSuccessStatusCode);
        var body = new { touser = "o", template_id = "T", data = new { k = new { value = "v" } } };
        var codes = new List<int>();
        for (var i = 0; i < 3; i++)
            codes.Add(Code(await PostAsync("cgi-bin/message/template/send?access_token=" + token, body)));
        Assert.Equal([45009, 45009, 0], codes);

        var calls = await _host.Http.GetFromJsonAsync<JsonElement>("/wechat-sim/_simulator/calls?endpoint=cgi-bin/message/template/send");
        Assert.Equal([45009, 45009, 0], calls.EnumerateArray().Select(c => c.GetProperty("errorCode").GetInt32()));
    }

    [Fact]
    public async Task A_timeout_fault_never_answers()
    {
        _host.Get<SimulatorFaults>().Inject(new SimulatorFault("*", SimulatorFaultKind.Timeout));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            _host.Http.PostAsJsonAsync("/wechat-sim/cgi-bin/stable_token", new { grant_type = "client_credential", appid = "wxKnown", secret = "right-secret" }, cts.Token));
        Assert.Equal(-1, (await _host.Get<SimulatorCallLog>().WaitForAsync(c => c.Endpoint == "cgi-bin/stable_token", TimeSpan.FromSeconds(5), default)).ErrorCode);
    }

    [Fact]
    public async Task A_delay_fault_answers_late_but_normally()
    {
        _host.Get<SimulatorFaults>().Inject(new SimulatorFault("cgi-bin/stable_token", SimulatorFaultKind.Delay) { DelayMilliseconds = 300 });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await TokenAsync();
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(280));
    }

    [Fact]
    public async Task Malformed_JSON_is_a_data_format_error()
    {
        var token = await TokenAsync();
        using var response = await _host.Http.PostAsync("/wechat-sim/cgi-bin/tags/create?access_token=" + token, new StringContent("{not json"));
        Assert.Equal(47001, Code(await response.Content.ReadFromJsonAsync<JsonElement>()));
    }

    [Fact]
    public async Task The_call_log_records_bodies_and_the_app_of_the_token()
    {
        var token = await TokenAsync();
        await PostAsync("cgi-bin/qrcode/create?access_token=" + token, new { action_name = "QR_LIMIT_STR_SCENE", action_info = new { scene = new { scene_str = "v-1" } } });
        var call = _host.Get<SimulatorCallLog>().Calls("cgi-bin/qrcode/create").Single();
        Assert.Equal("wxKnown", call.AppId);
        Assert.Contains("v-1", call.Body, StringComparison.Ordinal);
        Assert.Equal(0, call.ErrorCode);
    }

    [Fact]
    public async Task The_outbox_of_a_resident_lists_the_messages_delivered_to_them()
    {
        var token = await TokenAsync();
        await PostAsync("cgi-bin/message/custom/send?access_token=" + token, new { touser = "oMe", msgtype = "text", text = new { content = "answer" } });
        await PostAsync("cgi-bin/message/template/send?access_token=" + token, new { touser = "oMe", template_id = "T", data = new { k = new { value = "reminder" } } });
        await PostAsync("cgi-bin/message/custom/send?access_token=" + token, new { touser = "oOther", msgtype = "text", text = new { content = "not mine" } });
        await PostAsync("cgi-bin/message/mass/send?access_token=" + token, new { touser = new[] { "oMe", "oOther" }, msgtype = "text", text = new { content = "notice" } });
        await PostAsync("cgi-bin/message/custom/send?access_token=bad", new { touser = "oMe", msgtype = "text", text = new { content = "refused" } });

        var outbox = await _host.Http.GetFromJsonAsync<JsonElement>("/wechat-sim/_simulator/outbox?openid=oMe");
        Assert.Equal(
            ["cgi-bin/message/custom/send", "cgi-bin/message/template/send", "cgi-bin/message/mass/send"],
            outbox.EnumerateArray().Select(c => c.GetProperty("endpoint").GetString()));
    }

    [Fact]
    public async Task The_authorise_page_redirects_with_a_code_that_exchanges_for_the_chosen_OpenID()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.Address };
        var redirect = Uri.EscapeDataString("http://app.example/cb?x=1");
        using var response = await noRedirect.GetAsync($"/wechat-sim/connect/oauth2/authorize?appid=wxKnown&redirect_uri={redirect}&response_type=code&scope=snsapi_base&state=s1&openid=oChosen");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith("http://app.example/cb?x=1&code=", location.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("&state=s1", location.ToString(), StringComparison.Ordinal);
        var code = Uri.UnescapeDataString(location.Query.Split('&').Single(p => p.StartsWith("code=", StringComparison.Ordinal))[5..]);

        var token = await _host.Http.GetFromJsonAsync<JsonElement>($"/wechat-sim/sns/oauth2/access_token?appid=wxKnown&secret=right-secret&code={code}&grant_type=authorization_code");
        Assert.Equal("oChosen", token.GetProperty("openid").GetString());
    }

    [Fact]
    public async Task A_scene_longer_than_64_characters_is_refused()
    {
        var token = await TokenAsync();
        var json = await PostAsync("cgi-bin/qrcode/create?access_token=" + token, new { action_name = "QR_LIMIT_STR_SCENE", action_info = new { scene = new { scene_str = new string('x', 65) } } });
        Assert.NotEqual(0, Code(json));
    }
}

internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
