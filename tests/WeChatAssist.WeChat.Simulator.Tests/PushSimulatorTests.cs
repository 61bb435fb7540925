using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.WeChat.Simulator.Tests;

/// <summary>Checks the push simulator signs and encrypts as WeChat does, using an independent implementation written here.</summary>
public sealed class PushSimulatorTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<(IQueryCollection Query, string Body)> _received = new();
    private SimulatorHost _host = null!;

    private readonly WeChatAccountOptions _account = new()
    {
        AppId = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true),
        Token = "tok" + RandomNumberGenerator.GetHexString(8, lowercase: true),
        EncodingAESKey = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 43),
    };

    public async Task InitializeAsync() =>
        _host = await SimulatorHost.StartAsync(map: app =>
        {
            app.MapPost("/capture", async (HttpContext context) =>
            {
                using var reader = new StreamReader(context.Request.Body);
                _received.Enqueue((context.Request.Query, await reader.ReadToEndAsync()));
                return Results.Text("success");
            });
            app.MapGet("/capture", (HttpContext context) =>
            {
                _received.Enqueue((context.Request.Query, string.Empty));
                return Results.Text(context.Request.Query["echostr"].ToString());
            });
        });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_plaintext_push_carries_a_valid_url_signature_and_the_message()
    {
        var xml = WeChatPushSimulator.TextMessage("gh_x", "oResident", "你好", 42, 1714036504);
        var result = await new WeChatPushSimulator(_host.Http).PushAsync(new Uri(_host.Address, "/capture"), _account, xml, encrypt: false, default);

        Assert.Equal("success", result.Body);
        var (query, body) = Assert.Single(_received);
        Assert.Equal(Sha1Sorted(_account.Token, query["timestamp"]!, query["nonce"]!), query["signature"]);
        Assert.Equal("oResident", query["openid"]);
        Assert.Equal("你好", XElement.Parse(body).Element("Content")!.Value);
    }

    [Fact]
    public async Task A_safe_mode_push_is_encrypted_and_signed_as_WeChat_does()
    {
        var xml = WeChatPushSimulator.TextMessage("gh_x", "oResident", "多少钱 😀", 43, 1714036504);
        await new WeChatPushSimulator(_host.Http).PushAsync(new Uri(_host.Address, "/capture"), _account, xml, encrypt: true, default);

        var (query, body) = Assert.Single(_received);
        var encrypt = XElement.Parse(body).Element("Encrypt")!.Value;
        Assert.Equal("aes", query["encrypt_type"]);
        Assert.Equal(Sha1Sorted(_account.Token, query["timestamp"]!, query["nonce"]!, encrypt), query["msg_signature"]);
        Assert.Equal(Sha1Sorted(_account.Token, query["timestamp"]!, query["nonce"]!), query["signature"]);
        Assert.Equal(xml, IndependentDecrypt(encrypt, _account.EncodingAESKey, _account.AppId));
    }

    [Fact]
    public async Task Url_verification_is_a_signed_get()
    {
        var (status, body) = await new WeChatPushSimulator(_host.Http).VerifyUrlAsync(new Uri(_host.Address, "/capture"), _account.Token, "echo 1&2", default);
        Assert.Equal((200, "echo 1&2"), (status, body));
        var (query, _) = Assert.Single(_received);
        Assert.Equal(Sha1Sorted(_account.Token, query["timestamp"]!, query["nonce"]!), query["signature"]);
    }

    private static string Sha1Sorted(params string[] parts)
    {
        Array.Sort(parts, StringComparer.Ordinal);
#pragma warning disable CA5350 // the protocol's hash
        return Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(parts))));
#pragma warning restore CA5350
    }

    /// <summary>Written from the protocol description, independently of the library's cipher.</summary>
    private static string IndependentDecrypt(string encrypt, string encodingAesKey, string appId)
    {
        var key = Convert.FromBase64String(encodingAesKey + "=");
        using var aes = Aes.Create();
        aes.Key = key;
        var plain = aes.DecryptCbc(Convert.FromBase64String(encrypt), key[..16], PaddingMode.None);
        var pad = plain[^1];
        Assert.InRange(pad, 1, 32);
        Assert.Equal(0, plain.Length % 32);
        var length = BinaryPrimitives.ReadInt32BigEndian(plain.AsSpan(16, 4));
        Assert.Equal(appId, Encoding.UTF8.GetString(plain, 20 + length, plain.Length - pad - 20 - length));
        return Encoding.UTF8.GetString(plain, 20, length);
    }
}
