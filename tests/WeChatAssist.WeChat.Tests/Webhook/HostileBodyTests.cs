using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Security;
using WeChatAssist.WeChat.Simulator.Push;
using WeChatAssist.WeChat.Tests.Infrastructure;

namespace WeChatAssist.WeChat.Tests.Webhook;

/// <summary>10,000 hostile requests over real HTTP: never a 5xx, never a hang, never file content in a response.</summary>
public sealed class HostileBodyTests : IAsyncLifetime
{
    private const int Total = 10_000;
    private readonly WeChatAccountOptions _plain = TestAccounts.Plain();
    private readonly WeChatAccountOptions _safe = TestAccounts.Safe();
    private readonly TestHandler _handler = new();
    private TestHost _app = null!;

    private enum Kind
    {
        RandomBytes,
        TruncatedXml,
        Xxe,
        BillionLaughs,
        TenMegabytes,
        WrongAppId,
        BadPadding,
        BadBase64,
        StaleTimestamp,
        BadSignature,
        MissingMsgSignature,
        DeepNesting,
        InvalidUtf8,
        HugeTimestamp,
        DuplicatedParameters,
        EncryptedToPlainAccount,
    }

    public async Task InitializeAsync() =>
        _app = await TestHost.StartAppAsync(new Dictionary<string, WeChatAccountOptions> { ["plain"] = _plain, ["safe"] = _safe }, null, _handler);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_hostile_bodies_get_4xx_answers_quickly_and_leak_nothing()
    {
        var kinds = Enum.GetValues<Kind>();
        var statuses = new ConcurrentDictionary<Kind, ConcurrentBag<int>>();
        using var overall = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var leaks = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, Total), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = overall.Token }, async (i, ct) =>
        {
            var kind = kinds[i % kinds.Length];
            // 10 MB bodies are slow to send; a handful proves the point.
            if (kind == Kind.TenMegabytes && i > kinds.Length * 5)
                kind = Kind.RandomBytes;
            using var request = Build(kind);
            int status;
            string body;
            try
            {
                using var response = await _app.Http.SendAsync(request, ct);
                status = (int)response.StatusCode;
                body = await response.Content.ReadAsStringAsync(ct);
            }
            catch (HttpRequestException) when (kind == Kind.TenMegabytes)
            {
                // Kestrel may close the connection while a rejected 10 MB upload is still being sent.
                status = 413;
                body = string.Empty;
            }
            statuses.GetOrAdd(kind, _ => []).Add(status);
            if (body.Contains("root:", StringComparison.Ordinal) || body.Contains("/bin/", StringComparison.Ordinal))
                leaks.Add(kind + ": " + body);
        });

        Assert.Empty(leaks);
        Assert.Equal(Total, statuses.Values.Sum(s => s.Count));
        Assert.All(statuses, pair => Assert.All(pair.Value, s => Assert.True(s < 500, $"{pair.Key} answered {s}")));
        Assert.All(statuses[Kind.StaleTimestamp], s => Assert.Equal(401, s));
        Assert.All(statuses[Kind.BadSignature], s => Assert.Equal(401, s));
        Assert.All(statuses[Kind.MissingMsgSignature], s => Assert.Equal(401, s));
        Assert.All(statuses[Kind.HugeTimestamp], s => Assert.Equal(401, s));
        Assert.All(statuses[Kind.DuplicatedParameters], s => Assert.Equal(401, s));
        Assert.All(statuses[Kind.TenMegabytes], s => Assert.Equal(413, s));
        foreach (var kind in new[] { Kind.Xxe, Kind.BillionLaughs, Kind.WrongAppId, Kind.BadPadding, Kind.BadBase64, Kind.DeepNesting, Kind.InvalidUtf8, Kind.TruncatedXml, Kind.EncryptedToPlainAccount })
            Assert.All(statuses[kind], s => Assert.Equal(400, s));
        Assert.All(statuses[Kind.RandomBytes], s => Assert.Contains(s, new[] { 400, 413 }));
        Assert.Empty(_handler.Seen);
    }

    private HttpRequestMessage Build(Kind kind) => kind switch
    {
        Kind.RandomBytes => Plain(RandomNumberGenerator.GetBytes(RandomNumberGenerator.GetInt32(0, 4000))),
        Kind.TruncatedXml => Plain(Encoding.UTF8.GetBytes(Truncated())),
        Kind.Xxe => Plain(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>")),
        Kind.BillionLaughs => Plain(Encoding.UTF8.GetBytes(BillionLaughs())),
        Kind.TenMegabytes => Plain(new byte[10 * 1024 * 1024]),
        Kind.WrongAppId => Safe(new SafeModeCipher(_safe.EncodingAESKey, "wxSomeoneElse").Encrypt(Message())),
        Kind.BadPadding => Safe(BadPadding()),
        Kind.BadBase64 => Safe("!!!not*base64###" + RandomNumberGenerator.GetHexString(8)),
        Kind.StaleTimestamp => Plain(Encoding.UTF8.GetBytes(Message()), DateTimeOffset.UtcNow.AddMinutes(-30)),
        Kind.BadSignature => Signed("plain", "?signature=" + RandomNumberGenerator.GetHexString(40, lowercase: true) + "&timestamp=" + Now() + "&nonce=1", Encoding.UTF8.GetBytes(Message())),
        Kind.MissingMsgSignature => Signed("safe", $"?timestamp={Now()}&nonce=5&encrypt_type=aes", Encoding.UTF8.GetBytes($"<xml><Encrypt>{new SafeModeCipher(_safe.EncodingAESKey, _safe.AppId).Encrypt(Message())}</Encrypt></xml>")),
        Kind.DeepNesting => Plain(Encoding.UTF8.GetBytes("<xml>" + string.Concat(Enumerable.Repeat("<a>", 5000)) + string.Concat(Enumerable.Repeat("</a>", 5000)) + "</xml>")),
        Kind.InvalidUtf8 => Plain([.. "<xml><Content>"u8, 0xC3, 0x28, 0xFF, .. "</Content></xml>"u8]),
        Kind.HugeTimestamp => Signed("plain", $"?signature={Signatures.ComputeUrlSignature(_plain.Token, "999999999999", "1")}&timestamp=999999999999&nonce=1", Encoding.UTF8.GetBytes(Message())),
        Kind.DuplicatedParameters => DuplicatedParameters(),
        Kind.EncryptedToPlainAccount => EncryptedToPlainAccount(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private HttpRequestMessage DuplicatedParameters()
    {
        var ts = Now();
        var sig = Signatures.ComputeUrlSignature(_plain.Token, ts, "3");
        return Signed("plain", $"?signature={sig}&timestamp={ts}&timestamp={ts}&nonce=3", Encoding.UTF8.GetBytes(Message()));
    }

    private HttpRequestMessage EncryptedToPlainAccount()
    {
        var ts = Now();
        var encrypt = new SafeModeCipher(TestAccounts.RandomAesKey(), _plain.AppId).Encrypt(Message());
        var query = $"?signature={Signatures.ComputeUrlSignature(_plain.Token, ts, "4")}&timestamp={ts}&nonce=4&encrypt_type=aes&msg_signature={Signatures.ComputeMessageSignature(_plain.Token, ts, "4", encrypt)}";
        return Signed("plain", query, Encoding.UTF8.GetBytes($"<xml><Encrypt>{encrypt}</Encrypt></xml>"));
    }

    private static string Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    private static string Message() =>
        WeChatPushSimulator.TextMessage("gh_test", "oHostile", "hi", RandomNumberGenerator.GetInt32(int.MaxValue), DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static string Truncated()
    {
        var xml = Message();
        return xml[..RandomNumberGenerator.GetInt32(1, xml.Length - 1)];
    }

    private static string BillionLaughs()
    {
        var sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY lol0 \"lol\">");
        for (var i = 1; i < 10; i++)
            sb.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">");
        return sb.Append("]><xml><Content>&lol9;</Content></xml>").ToString();
    }

    private string BadPadding()
    {
        var key = Convert.FromBase64String(_safe.EncodingAESKey + "=");
        var plain = RandomNumberGenerator.GetBytes(64);
        plain[^1] = (byte)RandomNumberGenerator.GetInt32(33, 256);
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, key.AsSpan(0, 16), PaddingMode.None));
    }

    private HttpRequestMessage Plain(byte[] body, DateTimeOffset? at = null)
    {
        var ts = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture);
        return Signed("plain", $"?signature={Signatures.ComputeUrlSignature(_plain.Token, ts, nonce)}&timestamp={ts}&nonce={nonce}", body);
    }

    private HttpRequestMessage Safe(string encrypt)
    {
        var ts = Now();
        var nonce = RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var query = $"?signature={Signatures.ComputeUrlSignature(_safe.Token, ts, nonce)}&timestamp={ts}&nonce={nonce}&encrypt_type=aes&msg_signature={Signatures.ComputeMessageSignature(_safe.Token, ts, nonce, encrypt)}";
        return Signed("safe", query, Encoding.UTF8.GetBytes($"<xml><ToUserName><![CDATA[gh]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"));
    }

    private static HttpRequestMessage Signed(string account, string query, byte[] body) =>
        new(HttpMethod.Post, "/wechat/" + account + query) { Content = new ByteArrayContent(body) };
}
