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

public sealed class WebhookTests : IAsyncLifetime
{
    private readonly WeChatAccountOptions _plain = TestAccounts.Plain();
    private readonly WeChatAccountOptions _safe = TestAccounts.Safe();
    private readonly TestHandler _handler = new();
    private TestHost _simulator = null!;
    private TestHost _app = null!;
    private WeChatPushSimulator _push = null!;

    public async Task InitializeAsync()
    {
        _simulator = await TestHost.StartSimulatorAsync();
        _app = await TestHost.StartAppAsync(
            new Dictionary<string, WeChatAccountOptions> { ["plain"] = _plain, ["safe"] = _safe },
            _simulator,
            _handler,
            new Dictionary<string, string?> { ["WeChat:ReplyBudget"] = "00:00:00.300" });
        _push = new WeChatPushSimulator(_app.Http);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private Uri Hook(string account) => new(_app.Address, "/wechat/" + account);

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Text(string content, long msgId) =>
        WeChatPushSimulator.TextMessage("gh_test", "oUser" + msgId, content, msgId, Now);

    [Theory]
    [InlineData("plain")]
    [InlineData("safe")]
    public async Task Url_verification_echoes_echostr_when_the_signature_is_valid(string account)
    {
        var a = account == "plain" ? _plain : _safe;
        var (status, body) = await _push.VerifyUrlAsync(Hook(account), a.Token, "echo-1234567890", default);
        Assert.Equal(200, status);
        Assert.Equal("echo-1234567890", body);
    }

    [Fact]
    public async Task Url_verification_with_a_bad_signature_is_401_and_echoes_nothing()
    {
        var ts = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bad = Signatures.ComputeUrlSignature("not-the-token", ts, "123");
        using var response = await _app.Http.GetAsync($"/wechat/plain?signature={bad}&timestamp={ts}&nonce=123&echostr=SECRET_ECHO");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("SECRET_ECHO", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Url_verification_with_a_stale_timestamp_is_401_even_when_correctly_signed()
    {
        var ts = (Now - 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sig = Signatures.ComputeUrlSignature(_plain.Token, ts, "123");
        using var response = await _app.Http.GetAsync($"/wechat/plain?signature={sig}&timestamp={ts}&nonce=123&echostr=E");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("999999999999")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("1e9")]
    [InlineData("")]
    public async Task Out_of_range_or_malformed_timestamps_are_401_for_GET_and_POST(string ts)
    {
        var sig = Signatures.ComputeUrlSignature(_plain.Token, ts, "9");
        using var get = await _app.Http.GetAsync($"/wechat/plain?signature={sig}&timestamp={ts}&nonce=9&echostr=E");
        using var post = await _app.Http.PostAsync($"/wechat/plain?signature={sig}&timestamp={ts}&nonce=9", new StringContent(Text("x", 1012)));
        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Empty(_handler.Seen);
    }

    [Fact]
    public async Task An_unknown_account_is_404()
    {
        var (status, _) = await _push.VerifyUrlAsync(Hook("nobody"), _plain.Token, "E", default);
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task A_plaintext_text_message_reaches_the_handler_and_gets_a_passive_reply()
    {
        _handler.Behavior = (c, _) => ValueTask.FromResult<WeChatReply?>(new TextReply("你好, " + ((TextMessage)c.Message).Content));
        var result = await _push.PushAsync(Hook("plain"), _plain, Text("参保", 1001), encrypt: false, default);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("你好, 参保", result.ReplyText);
        Assert.Equal("oUser1001", result.Reply!.ChildValue("ToUserName"));
        Assert.Equal("gh_test", result.Reply.ChildValue("FromUserName"));
        var seen = Assert.Single(_handler.Seen);
        Assert.Equal("plain", seen.AccountName);
        Assert.Equal("opaque-plain", seen.AccountData);
    }

    [Fact]
    public async Task A_safe_mode_message_is_decrypted_and_the_reply_is_encrypted_and_signed()
    {
        _handler.Behavior = (c, _) => ValueTask.FromResult<WeChatReply?>(new TextReply("收到: " + ((TextMessage)c.Message).Content + " 🎉"));
        var result = await _push.PushAsync(Hook("safe"), _safe, Text("多少钱", 1002), encrypt: true, default);

        Assert.Equal(200, result.StatusCode);
        Assert.True(result.ReplySignatureValid);
        Assert.Equal("收到: 多少钱 🎉", result.ReplyText);
        Assert.DoesNotContain("多少钱", result.Body);
        Assert.Equal("opaque-safe", Assert.Single(_handler.Seen).AccountData);
    }

    [Fact]
    public async Task Compatible_mode_bodies_carrying_plaintext_and_Encrypt_use_the_decrypted_message()
    {
        _handler.Behavior = (c, _) => ValueTask.FromResult<WeChatReply?>(new TextReply(((TextMessage)c.Message).Content));
        var inner = Text("真的内容", 1003);
        using var cipher = new SafeModeCipher(_safe.EncodingAESKey, _safe.AppId);
        var encrypted = cipher.Encrypt(inner);
        var ts = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var body = inner.Replace("</xml>", $"<Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>", StringComparison.Ordinal)
            .Replace("真的内容", "假的明文", StringComparison.Ordinal);
        var url = $"/wechat/safe?signature={Signatures.ComputeUrlSignature(_safe.Token, ts, "77")}&timestamp={ts}&nonce=77&encrypt_type=aes&msg_signature={Signatures.ComputeMessageSignature(_safe.Token, ts, "77", encrypted)}";
        using var response = await _app.Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "text/xml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("真的内容", ((TextMessage)Assert.Single(_handler.Seen).Message).Content);
    }

    [Fact]
    public async Task A_plaintext_push_to_a_safe_mode_account_is_rejected()
    {
        var result = await _push.PushAsync(Hook("safe"), _safe, Text("x", 1004), encrypt: false, default);
        Assert.Equal(400, result.StatusCode);
        Assert.Empty(_handler.Seen);
    }

    [Fact]
    public async Task A_message_retried_three_times_is_handled_once()
    {
        _handler.Behavior = (_, _) => ValueTask.FromResult<WeChatReply?>(new TextReply("once"));
        var xml = Text("retry me", 1005);
        var results = new List<WeChatPushResult>();
        for (var i = 0; i < 3; i++)
            results.Add(await _push.PushAsync(Hook("safe"), _safe, xml, encrypt: true, default));

        Assert.Single(_handler.Seen);
        Assert.Equal("once", results[0].ReplyText);
        Assert.All(results.Skip(1), r => Assert.Equal("success", r.Body));
    }

    [Fact]
    public async Task The_same_event_retried_is_handled_once_but_a_later_event_is_not_a_duplicate()
    {
        var created = Now;
        var first = WeChatPushSimulator.Event("gh_test", "oEvt", "subscribe", "qrscene_village-7", created);
        await _push.PushAsync(Hook("plain"), _plain, first, false, default);
        await _push.PushAsync(Hook("plain"), _plain, first, false, default);
        await _push.PushAsync(Hook("plain"), _plain, WeChatPushSimulator.Event("gh_test", "oEvt", "subscribe", "qrscene_village-7", created + 1), false, default);

        Assert.Equal(2, _handler.Seen.Count);
        Assert.Equal("village-7", ((SubscribeEvent)_handler.Seen.First().Message).Scene);
    }

    [Fact]
    public async Task A_slow_handler_gets_success_at_once_and_its_reply_goes_through_customer_service()
    {
        // Warm the host up so the timing below measures the budget, not JIT compilation.
        await _push.PushAsync(Hook("safe"), _safe, WeChatPushSimulator.Event("gh_test", "oWarm", "VIEW", "https://x", Now), encrypt: true, default);
        _handler.Behavior = async (_, ct) =>
        {
            await Task.Delay(4000, ct);
            return new TextReply("late answer");
        };
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await _push.PushAsync(Hook("safe"), _safe, Text("slow question", 1006), encrypt: true, default);
        started.Stop();

        Assert.Equal("success", result.Body);
        Assert.True(started.Elapsed < TimeSpan.FromMilliseconds(3500), $"answered after {started.Elapsed}");
        var log = _simulator.Get<SimulatorCallLog>();
        var call = await log.WaitForAsync(c => c.Endpoint == "cgi-bin/message/custom/send" && c.Body!.Contains("oUser1006", StringComparison.Ordinal), TimeSpan.FromSeconds(10), default);
        Assert.Equal(0, call.ErrorCode);
        Assert.Contains("late answer", call.Body, StringComparison.Ordinal);
        Assert.Contains("oUser1006", call.Body, StringComparison.Ordinal);
        Assert.Equal(_safe.AppId, call.AppId);
    }

    [Fact]
    public async Task A_handler_that_throws_still_gets_success()
    {
        _handler.Behavior = (_, _) => throw new InvalidOperationException("boom");
        var result = await _push.PushAsync(Hook("plain"), _plain, Text("x", 1007), false, default);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal("success", result.Body);
    }

    [Fact]
    public async Task An_unknown_message_type_is_kept_raw_and_answered_success()
    {
        _handler.Behavior = (_, _) => ValueTask.FromResult<WeChatReply?>(new TextReply("a reply the webhook must not send"));
        var xml = WeChatPushSimulator.Xml("gh_test", "oU", Now, "hologram", ("MsgId", "1008"), ("Depth", "3"));
        var result = await _push.PushAsync(Hook("plain"), _plain, xml, false, default);
        Assert.Equal("success", result.Body);
        var message = Assert.IsType<UnknownMessage>(Assert.Single(_handler.Seen).Message);
        Assert.Equal("3", message.Root.ChildValue("Depth"));
        Assert.Contains("hologram", message.RawXml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var ts = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var url = $"/wechat/plain?signature={Signatures.ComputeUrlSignature(_plain.Token, ts, "1")}&timestamp={ts}&nonce=1";
        using var response = await _app.Http.PostAsync(url, new ByteArrayContent(new byte[300 * 1024]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_without_a_length_is_413()
    {
        var ts = Now.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var url = $"/wechat/plain?signature={Signatures.ComputeUrlSignature(_plain.Token, ts, "2")}&timestamp={ts}&nonce=2";
        using var content = new StreamContent(new MemoryStream(new byte[600 * 1024]));
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _app.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_push_to_an_unknown_account_is_404()
    {
        var result = await _push.PushAsync(Hook("nobody"), _plain, Text("x", 1010), false, default);
        Assert.Equal(404, result.StatusCode);
    }

    [Fact]
    public async Task A_news_reply_is_sent_passively()
    {
        _handler.Behavior = (_, _) => ValueTask.FromResult<WeChatReply?>(new NewsReply([new NewsArticle("政策", "说明", "https://p", "https://u")]));
        var result = await _push.PushAsync(Hook("safe"), _safe, Text("news", 1011), true, default);
        Assert.Equal("news", result.Reply!.ChildValue("MsgType"));
        Assert.Equal("政策", result.Reply.Child("Articles")!.Children[0].ChildValue("Title"));
    }

    [Fact]
    public async Task A_reply_longer_than_2048_bytes_is_cut_on_a_character_boundary()
    {
        var longText = string.Concat(Enumerable.Repeat("医保😀", 400));
        _handler.Behavior = (_, _) => ValueTask.FromResult<WeChatReply?>(new TextReply(longText));
        var result = await _push.PushAsync(Hook("safe"), _safe, Text("long", 1009), true, default);
        var content = result.ReplyText!;
        Assert.True(Encoding.UTF8.GetByteCount(content) <= 2048);
        Assert.True(Encoding.UTF8.GetByteCount(content) > 2040);
        Assert.StartsWith(content, longText, StringComparison.Ordinal);
        Assert.False(char.IsHighSurrogate(content[^1]));
    }
}
