using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Security;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Tests.Infrastructure;
using WeChatAssist.WeChat.Tokens;

namespace WeChatAssist.WeChat.Tests.Api;

/// <summary>The API client against the simulator over real HTTP.</summary>
public sealed class ApiClientTests : IAsyncLifetime
{
    private const string Custom = "cgi-bin/message/custom/send";
    private readonly WeChatAccountOptions _account = TestAccounts.Plain();
    private TestHost _simulator = null!;
    private TestHost _app = null!;

    private IWeChatApiClient Client => _app.Get<IWeChatApiClient>();

    private SimulatorFaults Faults => _simulator.Get<SimulatorFaults>();

    private SimulatorCallLog Log => _simulator.Get<SimulatorCallLog>();

    public async Task InitializeAsync()
    {
        _simulator = await TestHost.StartSimulatorAsync();
        _app = await TestHost.StartAppAsync(
            new Dictionary<string, WeChatAccountOptions> { ["acc"] = _account },
            _simulator,
            extraSettings: new Dictionary<string, string?> { ["WeChat:ApiTimeout"] = "00:00:02", ["WeChat:ApiMaxAttempts"] = "3" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private Task<WeChatResult<WeChatOk>> SendTextAsync(CancellationToken ct = default) =>
        Client.SendCustomerServiceMessageAsync("acc", "oUser", new TextReply("hello"), ct);

    [Fact]
    public async Task System_busy_is_retried_until_it_succeeds()
    {
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.ErrorCode, Count: 2) { ErrorCode = -1 });
        var result = await SendTextAsync();
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal([-1, -1, 0], Log.Calls(Custom).Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task System_busy_that_persists_ends_as_a_transient_error_after_the_configured_attempts()
    {
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.ErrorCode, Count: 10) { ErrorCode = -1 });
        var result = await SendTextAsync();
        Assert.Equal(WeChatErrorClass.Transient, result.Error!.Class);
        Assert.Equal(3, Log.Calls(Custom).Count);
    }

    [Fact]
    public async Task One_configured_attempt_sends_once_and_reports_the_transient_error()
    {
        await using var app = await TestHost.StartAppAsync(
            new Dictionary<string, WeChatAccountOptions> { ["acc"] = _account },
            _simulator,
            extraSettings: new Dictionary<string, string?> { ["WeChat:ApiTimeout"] = "00:00:02", ["WeChat:ApiMaxAttempts"] = "1" });
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.ErrorCode, Count: 10) { ErrorCode = -1 });

        var result = await app.Get<IWeChatApiClient>().SendCustomerServiceMessageAsync("acc", "oUser", new TextReply("hello"), CancellationToken.None);

        Assert.Equal(WeChatErrorClass.Transient, result.Error!.Class);
        Assert.Single(Log.Calls(Custom));
    }

    [Theory]
    [InlineData(43101, WeChatErrorClass.Permanent)]
    [InlineData(45009, WeChatErrorClass.Quota)]
    [InlineData(45047, WeChatErrorClass.Quota)]
    public async Task Permanent_and_quota_errors_are_not_retried(int code, WeChatErrorClass expected)
    {
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.ErrorCode) { ErrorCode = code });
        var result = await SendTextAsync();
        Assert.Equal(code, result.Error!.ErrorCode);
        Assert.Equal(expected, result.Error.Class);
        Assert.Single(Log.Calls(Custom));
    }

    [Fact]
    public async Task A_rejected_token_is_force_refreshed_once_and_the_call_retried_once()
    {
        Assert.True((await SendTextAsync()).IsSuccess);
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.ErrorCode) { ErrorCode = 40001 });

        var result = await SendTextAsync();

        Assert.True(result.IsSuccess, result.ToString());
        var tokens = Log.Calls("cgi-bin/stable_token");
        Assert.Equal(2, tokens.Count);
        Assert.Contains("\"force_refresh\":true", tokens[1].Body, StringComparison.Ordinal);
        Assert.Equal([0, 40001, 0], Log.Calls(Custom).Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task A_token_rejected_twice_is_reported_without_looping()
    {
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.ErrorCode, Count: 5) { ErrorCode = 42001 });
        var result = await SendTextAsync();
        Assert.Equal(WeChatErrorClass.Token, result.Error!.Class);
        Assert.Equal(2, Log.Calls(Custom).Count);
        Assert.Equal(2, Log.Calls("cgi-bin/stable_token").Count);
    }

    [Fact]
    public async Task A_token_revoked_on_the_server_is_replaced_transparently()
    {
        Assert.True((await SendTextAsync()).IsSuccess);
        _simulator.Get<SimulatorState>().RevokeTokens(_account.AppId);
        Assert.True((await SendTextAsync()).IsSuccess);
        Assert.Equal([0, 40001, 0], Log.Calls(Custom).Select(c => c.ErrorCode));
    }

    [Fact]
    public async Task A_call_that_times_out_is_retried()
    {
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.Timeout));
        var result = await SendTextAsync();
        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(2, Log.Calls(Custom).Count);
    }

    [Fact]
    public async Task Http_5xx_is_retried()
    {
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.HttpStatus) { HttpStatus = 502 });
        Assert.True((await SendTextAsync()).IsSuccess);
        Assert.Equal(2, Log.Calls(Custom).Count);
    }

    [Fact]
    public async Task A_slow_reply_within_the_timeout_is_not_retried()
    {
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.Delay) { DelayMilliseconds = 200 });
        Assert.True((await SendTextAsync()).IsSuccess);
        Assert.Single(Log.Calls(Custom));
    }

    [Fact]
    public async Task Cancellation_is_honoured_while_waiting_for_a_hung_call()
    {
        Faults.Inject(new SimulatorFault(Custom, SimulatorFaultKind.Timeout, Count: 10));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendTextAsync(cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
    }

    [Fact]
    public async Task Many_concurrent_calls_fetch_one_token()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => SendTextAsync()));
        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Single(Log.Calls("cgi-bin/stable_token"));
    }

    [Fact]
    public async Task Template_and_subscribe_messages_are_sent_with_their_data()
    {
        var template = await Client.SendTemplateMessageAsync("acc", new TemplateMessage("oUser", "TPL1", new Dictionary<string, string> { ["thing1"] = "缴费提醒" })
        {
            MiniProgram = new MiniProgramPage("wxmini", "pages/index?x=1"),
            ClientMessageId = "batch-1",
        }, default);
        Assert.True(template.Value > 0);
        var body = Log.Calls("cgi-bin/message/template/send").Single().Body!;
        Assert.Contains("\"template_id\":\"TPL1\"", body, StringComparison.Ordinal);
        Assert.Contains("\"thing1\":{\"value\":", body, StringComparison.Ordinal);
        Assert.Contains("\"pagepath\":\"pages/index?x=1\"", body, StringComparison.Ordinal);
        Assert.Contains("\"client_msg_id\":\"batch-1\"", body, StringComparison.Ordinal);

        var data = new Dictionary<string, string> { ["time1"] = "2026-12-31" };
        Assert.True((await Client.SendSubscribeMessageAsync("acc", new SubscribeMessage("oUser", "TPL2", data) { Page = "https://x" }, default)).IsSuccess);
        Assert.True((await Client.SendMiniProgramSubscribeMessageAsync("acc", new MiniProgramSubscribeMessage("oUser", "TPL3", data) { MiniProgramState = "trial" }, default)).IsSuccess);
        Assert.Contains("\"miniprogram_state\":\"trial\"", Log.Calls("cgi-bin/message/subscribe/send").Single().Body, StringComparison.Ordinal);

        var missing = await Client.SendTemplateMessageAsync("acc", new TemplateMessage("oUser", "", data), default);
        Assert.Equal(40037, missing.Error!.ErrorCode);
    }

    [Fact]
    public async Task Mass_sends_tags_and_codes_work_against_the_simulator()
    {
        var tag = await Client.CreateTagAsync("acc", "村一", default);
        Assert.True(tag.IsSuccess, tag.ToString());
        Assert.True((await Client.BatchTagAsync("acc", tag.Value.Id, ["o1", "o2"], default)).IsSuccess);
        var tags = await Client.GetTagsAsync("acc", default);
        Assert.Equal(("村一", 2), (tags.Value.Single().Name, tags.Value.Single().Count));
        Assert.Equal(45157, (await Client.CreateTagAsync("acc", "村一", default)).Error!.ErrorCode);

        var byTag = await Client.MassSendByTagAsync("acc", tag.Value.Id, MassMessage.Text("通知") with { ClientMessageId = "m1" }, default);
        Assert.True(byTag.Value.MsgId > 0);
        Assert.Contains("\"tag_id\":" + tag.Value.Id, Log.Calls("cgi-bin/message/mass/sendall").Single().Body, StringComparison.Ordinal);
        Assert.True((await Client.MassSendToOpenIdsAsync("acc", ["o1", "o2"], MassMessage.News("MEDIA"), default)).IsSuccess);
        Assert.Equal(40130, (await Client.MassSendToOpenIdsAsync("acc", ["o1"], MassMessage.Text("x"), default)).Error!.ErrorCode);

        var qr = await Client.CreateQrCodeAsync("acc", new QrCodeRequest("village-12"), default);
        Assert.StartsWith("gQ", qr.Value.Ticket, StringComparison.Ordinal);
        Assert.Contains("QR_LIMIT_STR_SCENE", Log.Calls("cgi-bin/qrcode/create").Single().Body, StringComparison.Ordinal);

        var png = await Client.GetUnlimitedMiniProgramCodeAsync("acc", new MiniProgramCodeRequest("v=12") { Page = "pages/index" }, default);
        Assert.Equal(0x89, png.Value[0]);
        Assert.Equal(40169, (await Client.GetUnlimitedMiniProgramCodeAsync("acc", new MiniProgramCodeRequest(new string('s', 33)), default)).Error!.ErrorCode);

        var link = await Client.GenerateUrlLinkAsync("acc", new UrlLinkRequest("pages/index", "a=1"), default);
        Assert.StartsWith("https://wxaurl.cn/", link.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OAuth_and_mini_program_codes_resolve_to_the_user_and_cannot_be_reused()
    {
        var code = _simulator.Get<SimulatorState>().IssueCode(_account.AppId, "oResident1");
        var token = await Client.ExchangeOAuthCodeAsync("acc", code, default);
        Assert.Equal("oResident1", token.Value.OpenId);
        Assert.Equal("snsapi_base", token.Value.Scope);
        var reused = await Client.ExchangeOAuthCodeAsync("acc", code, default);
        Assert.Equal(40163, reused.Error!.ErrorCode);
        Assert.Equal(WeChatErrorClass.Permanent, reused.Error.Class);

        var session = await Client.CodeToSessionAsync("acc", _simulator.Get<SimulatorState>().IssueCode(_account.AppId, "oMini"), default);
        Assert.Equal("oMini", session.Value.OpenId);
        Assert.False(string.IsNullOrEmpty(session.Value.SessionKey));
        Assert.Equal(40029, (await Client.CodeToSessionAsync("acc", "", default)).Error!.ErrorCode);
    }

    [Fact]
    public async Task The_JS_SDK_config_is_signed_with_a_cached_ticket()
    {
        var tickets = _app.Get<JsApiTicketProvider>();
        var config = await tickets.CreateConfigAsync("acc", "https://h5.example/page?a=1#frag", default);
        var again = await tickets.CreateConfigAsync("acc", "https://h5.example/other", default);

        Assert.Equal(_account.AppId, config.Value.AppId);
        var ticket = await tickets.GetTicketAsync("acc", default);
        Assert.Equal(Signatures.ComputeJsSdkSignature(ticket.Value, config.Value.NonceStr, config.Value.Timestamp, "https://h5.example/page?a=1"), config.Value.Signature);
        Assert.True(again.IsSuccess);
        Assert.Single(Log.Calls("cgi-bin/ticket/getticket"));
    }
}
