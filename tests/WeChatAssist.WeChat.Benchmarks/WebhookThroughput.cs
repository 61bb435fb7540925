using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Security;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.WeChat.Benchmarks;

/// <summary>
/// Bounded loopback load: the safe-mode webhook with a trivial handler against a bare Kestrel endpoint answering
/// <c>success</c>, both fed the same freshly signed and encrypted pushes, measured alternately in one run.
/// </summary>
internal static class WebhookThroughput
{
    private const string AppId = "wx5823bf96d3bd56c7";
    private const string Token = "benchToken123";
    private const string AesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
    private static long s_msgId;

    public static async Task RunAsync(TimeSpan duration, int concurrency, int rounds)
    {
        await using var bare = await StartAsync(webhook: false);
        await using var hook = await StartAsync(webhook: true);
        using var cipher = new SafeModeCipher(AesKey, AppId);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false });

        // Warm both up.
        await LoadAsync(http, cipher, new Uri(bare.Url, "/bare/acc"), TimeSpan.FromSeconds(2), concurrency);
        await LoadAsync(http, cipher, new Uri(hook.Url, "/wechat/acc"), TimeSpan.FromSeconds(2), concurrency);

        double bareTotal = 0, hookTotal = 0;
        for (var round = 1; round <= rounds; round++)
        {
            var b = await LoadAsync(http, cipher, new Uri(bare.Url, "/bare/acc"), duration, concurrency);
            var h = await LoadAsync(http, cipher, new Uri(hook.Url, "/wechat/acc"), duration, concurrency);
            bareTotal += b;
            hookTotal += h;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: bare {b:F0} req/s, safe-mode webhook {h:F0} req/s, ratio {h / b:P0}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overall: bare {bareTotal / rounds:F0} req/s, webhook {hookTotal / rounds:F0} req/s, webhook/bare = {hookTotal / bareTotal:P1}"));
    }

    private static async Task<double> LoadAsync(HttpClient http, SafeModeCipher cipher, Uri target, TimeSpan duration, int concurrency)
    {
        long done = 0;
        long failures = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                using var request = Push(cipher, target);
                using var response = await http.SendAsync(request).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                if (!response.IsSuccessStatusCode || body.Length == 0)
                    Interlocked.Increment(ref failures);
                Interlocked.Increment(ref done);
            }
        });
        await Task.WhenAll(workers).ConfigureAwait(false);
        if (failures > 0)
            Console.WriteLine($"  {failures} failed requests to {target}");
        return done / watch.Elapsed.TotalSeconds;
    }

    private static HttpRequestMessage Push(SafeModeCipher cipher, Uri target)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var id = Interlocked.Increment(ref s_msgId);
        var xml = string.Create(CultureInfo.InvariantCulture,
            $"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[oBench{id % 1000}]]></FromUserName><CreateTime>{now}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[今年居民医保要交多少钱？]]></Content><MsgId>{id}</MsgId></xml>");
        var encrypted = cipher.Encrypt(xml);
        var ts = now.ToString(CultureInfo.InvariantCulture);
        var nonce = RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue).ToString(CultureInfo.InvariantCulture);
        var query = $"?signature={Signatures.ComputeUrlSignature(Token, ts, nonce)}&timestamp={ts}&nonce={nonce}&encrypt_type=aes&msg_signature={Signatures.ComputeMessageSignature(Token, ts, nonce, encrypted)}";
        return new HttpRequestMessage(HttpMethod.Post, new Uri(target + query))
        {
            Content = new StringContent($"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"),
        };
    }

    private static async Task<RunningHost> StartAsync(bool webhook)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeChat:Accounts:acc:AppId"] = AppId,
            ["WeChat:Accounts:acc:AppSecret"] = "unused",
            ["WeChat:Accounts:acc:Token"] = Token,
            ["WeChat:Accounts:acc:EncodingAESKey"] = AesKey,
        });
        if (webhook)
        {
            builder.Services.AddWeChat();
            builder.Services.AddWeChatMessageHandler<TrivialHandler>();
        }
        var app = builder.Build();
        if (webhook)
            app.MapWeChatOfficialAccounts();
        else
            app.MapPost("/bare/{account}", () => "success");
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHost(app, new Uri(address));
    }

    private sealed class TrivialHandler : IWeChatMessageHandler
    {
        public ValueTask<WeChatReply?> HandleAsync(WeChatMessageContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult<WeChatReply?>(new TextReply("ok"));
    }

    private sealed record RunningHost(WebApplication App, Uri Url) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync().ConfigureAwait(false);
            await App.DisposeAsync().ConfigureAwait(false);
        }
    }
}
