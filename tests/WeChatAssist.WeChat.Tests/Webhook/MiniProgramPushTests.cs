using System.Globalization;
using System.Net;
using System.Text;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Security;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Simulator.Push;
using WeChatAssist.WeChat.Tests.Infrastructure;

namespace WeChatAssist.WeChat.Tests.Webhook;

/// <summary>The mini-program message push at /wechat-mp/{account}: JSON and XML, plaintext and safe mode.</summary>
public sealed class MiniProgramPushTests : IAsyncLifetime
{
    private const string OfficialCiphertext = "ELGduP2YcVatjqIS+eZbp80MNLoAUWvzzyJxgGzxZO/5sAvd070Bs6qrLARC9nVHm48Y4hyRbtzve1L32tmxSQ==";

    // The official example's credentials (DESIGN.md): token AAAAA, EncodingAESKey 43 × A, app id wxba5fad812f8e6fb9.
    private readonly WeChatAccountOptions _official = new()
    {
        AppId = "wxba5fad812f8e6fb9",
        AppSecret = "secret",
        Token = "AAAAA",
        EncodingAESKey = new string('A', 43),
        PolicyId = "opaque-mp",
        Kind = WeChatAccountKind.MiniProgram,
    };

    private readonly WeChatAccountOptions _plain = Mini(TestAccounts.Plain());
    private readonly WeChatAccountOptions _officialAccount = TestAccounts.Safe();
    private readonly TestHandler _handler = new();
    private TestHost _simulator = null!;
    private TestHost _app = null!;
    private WeChatPushSimulator _push = null!;

    public async Task InitializeAsync()
    {
        _simulator = await TestHost.StartSimulatorAsync();
        _app = await TestHost.StartAppAsync(
            new Dictionary<string, WeChatAccountOptions> { ["mp"] = _official, ["mp-plain"] = _plain, ["oa"] = _officialAccount },
            _simulator,
            _handler);
        _push = new WeChatPushSimulator(_app.Http);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private static WeChatAccountOptions Mini(WeChatAccountOptions a)
    {
        a.Kind = WeChatAccountKind.MiniProgram;
        return a;
    }

    private Uri Hook(string account) => new(_app.Address, "/wechat-mp/" + account);

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public void The_official_safe_mode_example_decrypts_to_JSON_the_push_reader_reads()
    {
        Assert.True(Signatures.VerifyMessageSignature("AAAAA", "1713424427", "415670741", OfficialCiphertext, "1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1"));
        using var cipher = new SafeModeCipher(new string('A', 43), "wxba5fad812f8e6fb9");
        Assert.True(cipher.TryDecrypt(OfficialCiphertext, out var json, out _));
        Assert.True(WeChatJsonReader.TryParse(json, WeChatXmlLimits.Default, out var root, out var error), error);
        Assert.Equal("good luck", root!.ChildValue("demo_resp"));
    }

    [Fact]
    public async Task A_JSON_text_in_safe_mode_reaches_the_handler_and_its_reply_goes_out_through_customer_service()
    {
        _handler.Behavior = (context, _) => ValueTask.FromResult<WeChatReply?>(new TextReply("收到：" + ((TextMessage)context.Message).Content));
        var json = WeChatPushSimulator.MiniProgramText("gh_mp", "oMpUser1", "我家交了没有", 5001, Now);

        var (status, body) = await _push.PushJsonAsync(Hook("mp"), _official, json, encrypt: true, default);

        Assert.Equal(200, status);
        Assert.Equal("success", body);
        var seen = Assert.Single(_handler.Seen);
        Assert.Equal("mp", seen.AccountName);
        Assert.Equal("我家交了没有", Assert.IsType<TextMessage>(seen.Message).Content);
        var log = _simulator.Get<SimulatorCallLog>();
        var sent = await Eventually(() => log.Outbox("oMpUser1").FirstOrDefault(c => c.Endpoint == "cgi-bin/message/custom/send"));
        Assert.Equal("收到：我家交了没有", System.Text.Json.Nodes.JsonNode.Parse(sent.Body!)!["text"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_repeated_JSON_push_is_handled_once()
    {
        var json = WeChatPushSimulator.MiniProgramText("gh_mp", "oMpUser2", "你好", 5002, Now);
        await _push.PushJsonAsync(Hook("mp"), _official, json, encrypt: true, default);
        var (status, body) = await _push.PushJsonAsync(Hook("mp"), _official, json, encrypt: true, default);
        Assert.Equal((200, "success"), (status, body));
        Assert.Single(_handler.Seen);
    }

    [Fact]
    public async Task A_JSON_subscribe_popup_event_carries_each_templates_choice()
    {
        var json = WeChatPushSimulator.MiniProgramSubscribePopup("gh_mp", "oMpUser3", Now, ("tpl-deadline", "accept"), ("tpl-other", "reject"));
        var (status, _) = await _push.PushJsonAsync(Hook("mp-plain"), _plain, json, encrypt: false, default);
        Assert.Equal(200, status);
        var popup = Assert.IsType<SubscribeMessagePopupEvent>(Assert.Single(_handler.Seen).Message);
        Assert.Equal([("tpl-deadline", "accept"), ("tpl-other", "reject")], popup.Choices.Select(c => (c.TemplateId, c.SubscribeStatus)));
    }

    [Fact]
    public async Task An_XML_push_in_safe_mode_is_read_as_well()
    {
        var xml = WeChatPushSimulator.TextMessage("gh_mp", "oMpUser4", "XML也行", 5004, Now);
        var result = await _push.PushAsync(Hook("mp"), _official, xml, encrypt: true, default);
        Assert.Equal((200, "success"), (result.StatusCode, result.Body));
        Assert.Equal("XML也行", Assert.IsType<TextMessage>(Assert.Single(_handler.Seen).Message).Content);
    }

    [Fact]
    public async Task Url_verification_echoes_for_a_mini_program_and_an_official_account_is_not_served_there()
    {
        Assert.Equal((200, "echo-mp"), await _push.VerifyUrlAsync(Hook("mp"), "AAAAA", "echo-mp", default));
        Assert.Equal(404, (await _push.VerifyUrlAsync(Hook("oa"), _officialAccount.Token, "echo", default)).StatusCode);
        Assert.Equal(404, (await _push.VerifyUrlAsync(new Uri(_app.Address, "/wechat/mp"), "AAAAA", "echo", default)).StatusCode);
    }

    [Fact]
    public async Task A_bad_msg_signature_is_401()
    {
        var ts = Now.ToString(CultureInfo.InvariantCulture);
        using var cipher = new SafeModeCipher(_official.EncodingAESKey, _official.AppId);
        var encrypt = cipher.Encrypt(WeChatPushSimulator.MiniProgramText("gh_mp", "oX", "hi", 1, Now));
        var body = $"{{\"ToUserName\":\"gh_mp\",\"Encrypt\":\"{encrypt}\"}}";
        var sig = Signatures.ComputeUrlSignature("AAAAA", ts, "77");
        var status = await PostAsync($"/wechat-mp/mp?signature={sig}&timestamp={ts}&nonce=77&encrypt_type=aes&msg_signature={new string('0', 40)}", body);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(_handler.Seen);
    }

    [Fact]
    public async Task A_stale_timestamp_is_401_even_when_correctly_signed()
    {
        var ts = (Now - 3600).ToString(CultureInfo.InvariantCulture);
        var sig = Signatures.ComputeUrlSignature(_plain.Token, ts, "77");
        var status = await PostAsync($"/wechat-mp/mp-plain?signature={sig}&timestamp={ts}&nonce=77", WeChatPushSimulator.MiniProgramText("gh_mp", "oX", "hi", 2, Now));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData("{\"ToUserName\":\"gh\",")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"ToUserName\":\"gh\"} trailing")]
    [InlineData("{\"ToUserName\":\"gh\",/* comment */\"FromUserName\":\"o\"}")]
    [InlineData("{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"text\",}")]
    [InlineData("{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":\"soon\",\"MsgType\":\"text\"}")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":{\"g\":{\"h\":{\"i\":{\"j\":1}}}}}}}}}}")]
    [InlineData("{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"text\",\"Content\":\"\\ud800\"")]
    public async Task Broken_or_hostile_JSON_is_400_never_5xx(string json)
    {
        var ts = Now.ToString(CultureInfo.InvariantCulture);
        var sig = Signatures.ComputeUrlSignature(_plain.Token, ts, "88");
        var status = await PostAsync($"/wechat-mp/mp-plain?signature={sig}&timestamp={ts}&nonce=88", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Empty(_handler.Seen);
    }

    [Fact]
    public async Task Too_many_JSON_elements_are_400_and_an_oversized_body_is_413()
    {
        var ts = Now.ToString(CultureInfo.InvariantCulture);
        var sig = Signatures.ComputeUrlSignature(_plain.Token, ts, "99");
        var many = "{\"ToUserName\":\"gh\",\"FromUserName\":\"o\",\"CreateTime\":1,\"MsgType\":\"text\",\"X\":[" + string.Join(",", Enumerable.Repeat("1", 5000)) + "]}";
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync($"/wechat-mp/mp-plain?signature={sig}&timestamp={ts}&nonce=99", many));
        var huge = "{\"Content\":\"" + new string('x', 300 * 1024) + "\"}";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await PostAsync($"/wechat-mp/mp-plain?signature={sig}&timestamp={ts}&nonce=99", huge));
    }

    private async Task<HttpStatusCode> PostAsync(string pathAndQuery, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _app.Http.PostAsync(pathAndQuery, content);
        return response.StatusCode;
    }

    private static async Task<T> Eventually<T>(Func<T?> probe)
        where T : class
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (probe() is { } value)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("condition not met within 20 s");
            await Task.Delay(50);
        }
    }
}
