using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Security;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.WeChat.Benchmarks;

/// <summary>The webhook's own work for one safe-mode push (no sockets): checks, decrypt, parse, dedupe, handler, reply, encrypt.</summary>
[MemoryDiagnoser]
public class WebhookReceiveBenchmarks : IDisposable
{
    private const string AppId = "wx5823bf96d3bd56c7";
    private const string Token = "benchToken123";
    private const string AesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private ServiceProvider _services = null!;
    private WeChatWebhookProcessor _processor = null!;
    private SafeModeCipher _cipher = null!;
    private long _msgId;

    [GlobalSetup]
    public void Setup()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeChat:Accounts:acc:AppId"] = AppId,
            ["WeChat:Accounts:acc:AppSecret"] = "unused",
            ["WeChat:Accounts:acc:Token"] = Token,
            ["WeChat:Accounts:acc:EncodingAESKey"] = AesKey,
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddWeChat();
        services.AddWeChatMessageHandler<Trivial>();
        _services = services.BuildServiceProvider();
        _processor = _services.GetRequiredService<WeChatWebhookProcessor>();
        _cipher = new SafeModeCipher(AesKey, AppId);
    }

    [Benchmark]
    public async Task<int> ReceiveSafeModeText()
    {
        var (query, body) = Push();
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.QueryString = new QueryString(query);
        context.Request.Body = new MemoryStream(body);
        context.Request.ContentLength = body.Length;
        var outcome = await _processor.ReceiveAsync("acc", context.Request, default);
        return outcome.StatusCode;
    }

    [Benchmark]
    public async Task<object?> ScopeAndHandler()
    {
        var scope = _services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await using (scope)
            return await scope.ServiceProvider.GetRequiredService<IWeChatMessageHandler>().HandleAsync(null!, default);
    }

    [Benchmark]
    public ValueTask<bool> Dedupe() => _services.GetRequiredService<IMessageDeduplicator>().TryClaimAsync("acc", "msg|o|" + (++_msgId), TimeSpan.FromMinutes(10), default);

    [Benchmark]
    public (string, byte[]) BuildRequestOnly() => Push();

    private (string Query, byte[] Body) Push()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = ++_msgId;
        var xml = string.Create(CultureInfo.InvariantCulture,
            $"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[oBench]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[今年居民医保要交多少钱？]]></Content><MsgId>{id}</MsgId></xml>");
        var encrypted = _cipher.Encrypt(xml);
        var ts = now.ToString(CultureInfo.InvariantCulture);
        var query = $"?signature={Signatures.ComputeUrlSignature(Token, ts, "1514711492")}&timestamp={ts}&nonce=1514711492&encrypt_type=aes&msg_signature={Signatures.ComputeMessageSignature(Token, ts, "1514711492", encrypted)}";
        return (query, Encoding.UTF8.GetBytes($"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _cipher?.Dispose();
        _services?.Dispose();
        GC.SuppressFinalize(this);
    }

    private sealed class Trivial : IWeChatMessageHandler
    {
        public ValueTask<WeChatReply?> HandleAsync(WeChatMessageContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<WeChatReply?>(new TextReply("ok"));
    }
}
