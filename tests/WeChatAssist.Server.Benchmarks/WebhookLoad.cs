using System.Diagnostics;
using System.Globalization;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Benchmarks;

/// <summary>
/// Open-loop load on the webhook: resident questions pushed at a fixed rate for a fixed time, each signed (and in safe
/// mode encrypted) exactly as WeChat does, with the reply decrypted and checked. Prints latency percentiles and errors.
/// Loopback only, bounded in count and time. The account's settings come from the same environment variables the
/// server reads (<c>WeChat__Accounts__{name}__*</c>).
/// </summary>
internal static class WebhookLoad
{
    internal static readonly string[] Questions =
    [
        "交多少钱", "低保户一档交多少钱", "什么时候截止", "怎么交", "1月15号交什么时候能用", "我是特困人员", "二档和一档有什么区别", "转人工",
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        var options = LoadRun.Options(args);
        var url = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5080/wechat/load"));
        if (!url.IsLoopback)
        {
            Console.Error.WriteLine($"webhook-load only targets loopback addresses, not {url.Host}.");
            return 2;
        }

        var accountName = url.Segments[^1].Trim('/');
        var account = new WeChatAccountOptions
        {
            AppId = Environment.GetEnvironmentVariable($"WeChat__Accounts__{accountName}__AppId") ?? "",
            Token = Environment.GetEnvironmentVariable($"WeChat__Accounts__{accountName}__Token") ?? "",
            EncodingAESKey = Environment.GetEnvironmentVariable($"WeChat__Accounts__{accountName}__EncodingAESKey") ?? "",
        };
        if (account.AppId.Length == 0 || account.Token.Length == 0)
        {
            Console.Error.WriteLine($"Set WeChat__Accounts__{accountName}__AppId, __Token and __EncodingAESKey as for the server.");
            return 2;
        }

        var rate = int.Parse(options.GetValueOrDefault("rate", "500"), CultureInfo.InvariantCulture);
        var seconds = int.Parse(options.GetValueOrDefault("seconds", "60"), CultureInfo.InvariantCulture);
        var residents = int.Parse(options.GetValueOrDefault("residents", "2000"), CultureInfo.InvariantCulture);
        var total = rate * seconds;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) };
        var push = new WeChatPushSimulator(http);
        var latencies = new double[total];
        var failures = new List<string>();
        var baseMsgId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

        // Warm-up outside the measurement: JIT, connection pool, first database round trips.
        for (var i = 0; i < 50; i++)
        {
            await SendAsync(push, url, account, $"oWarmUp{i}", Questions[i % Questions.Length], baseMsgId - 1000 + i, CancellationToken.None);
        }

        Console.WriteLine($"Pushing {total} messages to {url} at {rate}/s for {seconds} s ({(account.UsesEncryption ? "safe mode" : "plaintext")}, {residents} residents)...");
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            // Open loop: message i leaves at i/rate seconds whatever happened to the earlier ones.
            var due = TimeSpan.FromSeconds((double)i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            pending.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                var error = await SendAsync(push, url, account, $"oLoad{index % residents}", Questions[index % Questions.Length], baseMsgId + index, CancellationToken.None);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (error is not null)
                {
                    lock (failures)
                    {
                        failures.Add(error);
                    }
                }
            }));
        }

        await Task.WhenAll(pending);
        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        Console.WriteLine($"sent {total} in {elapsed.TotalSeconds:F1} s = {total / elapsed.TotalSeconds:F0}/s");
        Console.WriteLine($"latency ms: p50 {LoadRun.Percentile(latencies, 0.50):F1}  p90 {LoadRun.Percentile(latencies, 0.90):F1}  p99 {LoadRun.Percentile(latencies, 0.99):F1}  max {latencies[^1]:F1}");
        Console.WriteLine($"errors: {failures.Count}" + (failures.Count > 0 ? $" (first: {failures[0]})" : ""));
        return failures.Count == 0 ? 0 : 1;
    }

    internal static async Task<string?> SendAsync(WeChatPushSimulator push, Uri url, WeChatAccountOptions account, string openId, string question, long msgId, CancellationToken cancellationToken)
    {
        try
        {
            var xml = WeChatPushSimulator.TextMessage("gh_load", openId, question, msgId, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            var result = await push.PushAsync(url, account, xml, account.UsesEncryption, cancellationToken);
            if (result.StatusCode != 200)
            {
                return $"HTTP {result.StatusCode}";
            }

            // A passive reply that decrypts and verifies; "success" alone would mean the answer missed the budget.
            return result.ReplyText is { Length: > 0 } && result.ReplySignatureValid != false ? null : $"no reply: {result.Body}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }
}
