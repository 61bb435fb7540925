using BenchmarkDotNet.Attributes;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Security;

namespace WeChatAssist.WeChat.Benchmarks;

/// <summary>The per-message protocol cost of safe mode: decrypt + parse a typical text push, then write and encrypt the reply.</summary>
[MemoryDiagnoser]
public class SafeModeRoundTripBenchmarks : IDisposable
{
    private const string Token = "benchToken123";
    private SafeModeCipher _cipher = null!;
    private string _encrypted = null!;
    private string _xml = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cipher = new SafeModeCipher("jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7");
        var push = "<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oAbCdEfGhIjKlMnOpQrStUvWxYz0]]></FromUserName>"
            + "<CreateTime>1714036504</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[我是低保户，今年居民医保要交多少钱？]]></Content>"
            + "<MsgId>24567890123456789</MsgId></xml>";
        _encrypted = _cipher.Encrypt(push);
        _xml = push;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _cipher?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "decrypt + parse + reply + encrypt")]
    public string DecryptParseEncrypt()
    {
        if (!_cipher.TryDecrypt(_encrypted, out var xml, out _)
            || !InboundMessageParser.TryParse(xml, out var message, out _)
            || message is not TextMessage text)
            throw new InvalidOperationException("benchmark input is broken");
        var reply = PassiveReplyWriter.Write(new TextReply("已收到：" + text.Content), text.FromUserName, text.ToUserName, 1714036505);
        return PassiveReplyWriter.WriteEncrypted(reply, _cipher, Token, 1714036505, "1514711492");
    }

    [Benchmark]
    public string Decrypt() => _cipher.Decrypt(_encrypted);

    [Benchmark]
    public InboundMessage? Parse() => InboundMessageParser.TryParse(_xml, out var m, out _) ? m : null;

    [Benchmark]
    public string Encrypt() => _cipher.Encrypt(_xml);

    [Benchmark]
    public bool VerifyMessageSignature() =>
        Signatures.VerifyMessageSignature(Token, "1714036504", "1514711492", _encrypted, "1b9339964ed2e271e7c7b6ff2b0ef902fc94dea1");
}
