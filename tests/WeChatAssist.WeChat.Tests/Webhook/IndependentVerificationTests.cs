using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Tests.Infrastructure;

namespace WeChatAssist.WeChat.Tests.Webhook;

/// <summary>
/// The webhook checked the way an outside party would: fresh random token, key and app id; requests built and replies
/// verified with SHA-1/AES code written here from the protocol description, not with the library's own types.
/// </summary>
public sealed class IndependentVerificationTests : IAsyncLifetime
{
    private readonly WeChatAccountOptions _account = TestAccounts.Safe();
    private readonly TestHandler _handler = new();
    private TestHost _app = null!;

    public async Task InitializeAsync()
    {
        _handler.Behavior = (c, _) => ValueTask.FromResult<WeChatReply?>(new TextReply("回声：" + ((TextMessage)c.Message).Content));
        _app = await TestHost.StartAppAsync(new Dictionary<string, WeChatAccountOptions> { ["acc"] = _account }, null, _handler);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [InlineData("hello")]
    [InlineData("居民医保 😀 ]]> <&>")]
    [InlineData("")]
    public async Task A_safe_mode_round_trip_verifies_with_an_independent_implementation(string content)
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var msgId = RandomNumberGenerator.GetInt32(int.MaxValue);
        var inner = new XElement("xml",
            new XElement("ToUserName", "gh_independent"), new XElement("FromUserName", "oIndependent"),
            new XElement("CreateTime", ts), new XElement("MsgType", "text"), new XElement("Content", content), new XElement("MsgId", msgId)).ToString(SaveOptions.DisableFormatting);
        var encrypt = Encrypt(inner);
        var url = $"/wechat/acc?signature={Sha1(_account.Token, ts, nonce)}&timestamp={ts}&nonce={nonce}&openid=oIndependent&encrypt_type=aes&msg_signature={Sha1(_account.Token, ts, nonce, encrypt)}";
        var body = new XElement("xml", new XElement("ToUserName", "gh_independent"), new XElement("Encrypt", encrypt)).ToString(SaveOptions.DisableFormatting);

        using var response = await _app.Http.PostAsync(url, new StringContent(body, Encoding.UTF8, "text/xml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var envelope = XElement.Parse(await response.Content.ReadAsStringAsync());
        var replyEncrypt = envelope.Element("Encrypt")!.Value;
        Assert.Equal(Sha1(_account.Token, envelope.Element("TimeStamp")!.Value, envelope.Element("Nonce")!.Value, replyEncrypt), envelope.Element("MsgSignature")!.Value);
        var reply = XElement.Parse(Decrypt(replyEncrypt));
        Assert.Equal("oIndependent", reply.Element("ToUserName")!.Value);
        Assert.Equal("gh_independent", reply.Element("FromUserName")!.Value);
        Assert.Equal("text", reply.Element("MsgType")!.Value);
        Assert.Equal("回声：" + content, reply.Element("Content")!.Value);
    }

    [Fact]
    public async Task Url_verification_echoes_with_an_independently_computed_signature()
    {
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var echo = RandomNumberGenerator.GetHexString(18);
        var text = await _app.Http.GetStringAsync($"/wechat/acc?signature={Sha1(_account.Token, ts, "42")}&timestamp={ts}&nonce=42&echostr={echo}");
        Assert.Equal(echo, text);
    }

    private static string Sha1(params string[] parts)
    {
        Array.Sort(parts, StringComparer.Ordinal);
#pragma warning disable CA5350 // the protocol's hash
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
#pragma warning restore CA5350
    }

    private (byte[] Key, byte[] Iv) KeyAndIv()
    {
        var key = Convert.FromBase64String(_account.EncodingAESKey + "=");
        return (key, key[..16]);
    }

    private string Encrypt(string message)
    {
        var m = Encoding.UTF8.GetBytes(message);
        var a = Encoding.UTF8.GetBytes(_account.AppId);
        var length = 20 + m.Length + a.Length;
        var pad = 32 - (length % 32);
        var plain = new byte[length + pad];
        RandomNumberGenerator.Fill(plain.AsSpan(0, 16));
        BinaryPrimitives.WriteInt32BigEndian(plain.AsSpan(16), m.Length);
        m.CopyTo(plain, 20);
        a.CopyTo(plain, 20 + m.Length);
        plain.AsSpan(length).Fill((byte)pad);
        var (key, iv) = KeyAndIv();
        using var aes = Aes.Create();
        aes.Key = key;
        return Convert.ToBase64String(aes.EncryptCbc(plain, iv, PaddingMode.None));
    }

    private string Decrypt(string encrypt)
    {
        var (key, iv) = KeyAndIv();
        using var aes = Aes.Create();
        aes.Key = key;
        var plain = aes.DecryptCbc(Convert.FromBase64String(encrypt), iv, PaddingMode.None);
        var pad = plain[^1];
        Assert.InRange(pad, 1, 32);
        var length = BinaryPrimitives.ReadInt32BigEndian(plain.AsSpan(16, 4));
        Assert.Equal(_account.AppId, Encoding.UTF8.GetString(plain, 20 + length, plain.Length - pad - 20 - length));
        return Encoding.UTF8.GetString(plain, 20, length);
    }
}
