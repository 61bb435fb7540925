using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using WeChatAssist.WeChat.Simulator;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Benchmarks;

/// <summary>
/// What OpenTelemetry costs the webhook, measured side by side in one run: two published servers on one PostgreSQL
/// (a database each), identical but for <c>Telemetry__Enabled</c>; the "on" one also serves its Prometheus endpoint,
/// which is scraped every second while it is loaded. Closed-loop load (a fixed number of senders, each waiting for
/// its reply) goes to one server at a time, in rounds ordered on, off, off, on, on, off, … so that a drift of the
/// shared machine falls on both alike. Prints each round, the load average, throughput and server CPU per message.
/// Loopback only; the servers are stopped at the end.
/// </summary>
internal static class TelemetryCost
{
    public const string Verb = "telemetry-cost";

    public static async Task<int> RunAsync(string[] args)
    {
        var options = LoadRun.Options(args);
        var serverDll = Path.GetFullPath(options.GetValueOrDefault("server", "publish/WeChatAssist.Server.dll"));
        var postgres = options.GetValueOrDefault("postgres", "");
        var rounds = int.Parse(options.GetValueOrDefault("rounds", "8"), CultureInfo.InvariantCulture);
        var seconds = int.Parse(options.GetValueOrDefault("seconds", "10"), CultureInfo.InvariantCulture);
        var warmUpRounds = int.Parse(options.GetValueOrDefault("warmup", "4"), CultureInfo.InvariantCulture);
        var concurrency = int.Parse(options.GetValueOrDefault("concurrency", "16"), CultureInfo.InvariantCulture);
        // Telemetry__Traces of the "on" server: unset (its default: traces only with an OTLP collector), true or false.
        var traces = options.GetValueOrDefault("traces", "");
        if (!File.Exists(serverDll) || postgres.Length == 0)
        {
            Console.Error.WriteLine($"usage: {Verb} --server <published WeChatAssist.Server.dll> --postgres \"Host=…;Username=…;Password=…\" [--rounds 8] [--seconds 10] [--warmup 4] [--concurrency 16] [--traces true|false]");
            return 2;
        }

        var account = new WeChatAccountOptions
        {
            AppId = "wx" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            AppSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            EncodingAESKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('='),
        };
        var run = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var metricsPort = FreePort();
        var servers = new List<Server>();

        // WeChat's API for both servers (the webhook asks user/info about each new follower): the simulator, on loopback
        // in this process, since this machine cannot reach api.weixin.qq.com and a failing call would stall answers.
        var simulatorBuilder = WebApplication.CreateSlimBuilder();
        simulatorBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        simulatorBuilder.Logging.ClearProviders();
        simulatorBuilder.Services.AddWeChatSimulator();
        await using var simulator = simulatorBuilder.Build();
        simulator.MapWeChatSimulator(SimulatorEndpoints.DefaultPrefix);
        await simulator.StartAsync();
        var wechatApi = new Uri(new Uri(simulator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()), SimulatorEndpoints.DefaultPrefix + "/");
        try
        {
            servers.Add(await Server.StartAsync("on", serverDll, await CreateDatabaseAsync(postgres, $"telemetry_on_{run}"), account, wechatApi, telemetry: true, metricsPort, traces));
            servers.Add(await Server.StartAsync("off", serverDll, await CreateDatabaseAsync(postgres, $"telemetry_off_{run}"), account, wechatApi, telemetry: false, 0, ""));
            var on = servers[0];
            var off = servers[1];
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency * 2 }) { Timeout = TimeSpan.FromSeconds(10) };
            var push = new WeChatPushSimulator(http);
            var msgId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

            Console.WriteLine($"{Verb}: {rounds} rounds of {seconds} s, {concurrency} senders, safe mode, chatbot answering, PostgreSQL, traces {(traces.Length > 0 ? traces : "default")}; load average {LoadAverage()}");
            // Warm-up outside the measurement: JIT, tiered compilation (with dynamic PGO a method is recompiled well after
            // its first calls), connection pools, the first queries. At least --warmup rounds per server, alternating so
            // both warm under the same load, and on until a round answers every message within WeChat's budget (at
            // most six more rounds each). A run's first measured pair was still warming with a shorter warm-up.
            for (var warmUp = 0; warmUp < warmUpRounds + 6; warmUp++)
            {
                var settled = true;
                foreach (var server in servers)
                {
                    var result = await LoadAsync(push, server, account, concurrency, TimeSpan.FromSeconds(seconds), () => Interlocked.Increment(ref msgId), metrics: null);
                    Console.WriteLine($"warm-up {warmUp + 1}: telemetry {server.Name,-3} {result.Messages / result.Elapsed.TotalSeconds,7:F0} msg/s  late {result.Late}  errors {result.Errors}");
                    settled &= result.Late == 0 && result.Errors == 0;
                }

                if (warmUp + 1 >= warmUpRounds && settled)
                {
                    break;
                }
            }

            var results = new List<(string Name, double PerSecond, double CpuMsPerMessage, int Errors, string Load)>();
            for (var round = 0; round < rounds; round++)
            {
                // on, off, off, on, on, off, …: a machine that slows down (or speeds up) over the run hurts both alike.
                var server = (round % 4) is 0 or 3 ? on : off;
                var metrics = server == on ? new Uri($"http://127.0.0.1:{metricsPort}/metrics") : null;
                var cpuBefore = server.CpuTime;
                var result = await LoadAsync(push, server, account, concurrency, TimeSpan.FromSeconds(seconds), () => Interlocked.Increment(ref msgId), metrics);
                var cpuMs = (server.CpuTime - cpuBefore).TotalMilliseconds / Math.Max(1, result.Messages);
                var load = LoadAverage();
                results.Add((server.Name, result.Messages / result.Elapsed.TotalSeconds, cpuMs, result.Errors, load));
                Console.WriteLine($"round {round + 1}: telemetry {server.Name,-3}  {result.Messages / result.Elapsed.TotalSeconds,7:F0} msg/s  server CPU {cpuMs:F2} ms/msg  errors {result.Errors}  late {result.Late}"
                    + (metrics is null ? "" : $"  scrapes {result.Scrapes} ok ({result.ScrapeBytes / Math.Max(1, result.Scrapes):F0} bytes, webhook counter {result.LastCounter})")
                    + $"  load average {load}");
            }

            var onRate = results.Where(r => r.Name == "on").Average(r => r.PerSecond);
            var offRate = results.Where(r => r.Name == "off").Average(r => r.PerSecond);
            var onCpu = results.Where(r => r.Name == "on").Average(r => r.CpuMsPerMessage);
            var offCpu = results.Where(r => r.Name == "off").Average(r => r.CpuMsPerMessage);
            Console.WriteLine($"mean throughput: on {onRate:F0} msg/s, off {offRate:F0} msg/s: telemetry costs {100 * (1 - onRate / offRate):F1} % of throughput");
            // Each two neighbouring rounds hold one "on" and one "off": the cost within each pair, whatever the machine did.
            var pairs = Enumerable.Range(0, results.Count / 2)
                .Select(p => (On: results[2 * p].Name == "on" ? results[2 * p] : results[(2 * p) + 1], Off: results[2 * p].Name == "off" ? results[2 * p] : results[(2 * p) + 1]))
                .Select(p => 100 * (1 - p.On.PerSecond / p.Off.PerSecond)).Order().ToList();
            if (pairs.Count > 0)
            {
                Console.WriteLine($"cost per pair of rounds: median {pairs[pairs.Count / 2]:F1} %, from {pairs[0]:F1} % to {pairs[^1]:F1} % ({string.Join(", ", pairs.Select(p => p.ToString("F1", CultureInfo.InvariantCulture)))})");
            }

            Console.WriteLine($"mean server CPU per message: on {onCpu:F3} ms, off {offCpu:F3} ms: {100 * (onCpu / offCpu - 1):+0.0;-0.0} %");
            Console.WriteLine($"errors: {results.Sum(r => r.Errors)}");
            return results.Sum(r => r.Errors) == 0 ? 0 : 1;
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    private static async Task<(int Messages, int Errors, int Late, TimeSpan Elapsed, int Scrapes, long ScrapeBytes, string LastCounter)> LoadAsync(
        WeChatPushSimulator push, Server server, WeChatAccountOptions account, int concurrency, TimeSpan duration, Func<long> nextMsgId, Uri? metrics)
    {
        var messages = 0;
        var errors = 0;
        var lateReplies = 0;
        string? firstError = null;
        using var stop = new CancellationTokenSource(duration);
        var clock = Stopwatch.StartNew();
        var senders = Enumerable.Range(0, concurrency).Select(sender => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var error = await WebhookLoad.SendAsync(push, server.Webhook, account, $"oCost{sender}x{i % 100}", WebhookLoad.Questions[i % WebhookLoad.Questions.Length], nextMsgId(), CancellationToken.None);
                // A reply after WeChat's budget ("success" now, the answer later by the customer-service API) is handled
                // but late: it counts as a message, and is reported.
                var late = error is not null && error.StartsWith("no reply: success", StringComparison.Ordinal);
                Interlocked.Increment(ref error is null || late ? ref messages : ref errors);
                if (late)
                {
                    Interlocked.Increment(ref lateReplies);
                }
                else if (error is not null && Interlocked.CompareExchange(ref firstError, error, null) is null)
                {
                    Console.Error.WriteLine($"telemetry {server.Name}: {error}");
                }
            }
        })).ToList();

        // The "on" server is scraped every second, as a (demanding) Prometheus would: exporting is part of the cost.
        var scrapes = 0;
        long scrapeBytes = 0;
        var lastCounter = "";
        if (metrics is not null)
        {
            using var scraper = new HttpClient();
            while (!stop.IsCancellationRequested)
            {
                var text = await scraper.GetStringAsync(metrics);
                var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("wechatassist_webhook_messages_total{", StringComparison.Ordinal) && l.Contains("result=\"replied\"", StringComparison.Ordinal))
                    ?? throw new InvalidOperationException("The scrape carries no wechatassist_webhook_messages_total: telemetry is not exporting.");
                lastCounter = line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0];
                scrapes++;
                scrapeBytes += text.Length;
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }

        await Task.WhenAll(senders);
        return (messages, errors, lateReplies, clock.Elapsed, scrapes, scrapeBytes, lastCounter);
    }

    private static async Task<string> CreateDatabaseAsync(string postgres, string name)
    {
        await using (var connection = new NpgsqlConnection(postgres))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(postgres) { Database = name }.ConnectionString;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Server : IDisposable
    {
        private readonly Process process;

        private Server(string name, Process process, Uri webhook)
        {
            Name = name;
            this.process = process;
            Webhook = webhook;
        }

        public string Name { get; }

        public Uri Webhook { get; }

        public TimeSpan CpuTime
        {
            get
            {
                process.Refresh();
                return process.TotalProcessorTime;
            }
        }

        public static async Task<Server> StartAsync(string name, string dll, string connectionString, WeChatAccountOptions account, Uri wechatApi, bool telemetry, int metricsPort, string traces)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [dll])
            {
                WorkingDirectory = Path.GetDirectoryName(dll)!,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            var environment = start.Environment;
            environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            environment["Logging__LogLevel__Default"] = "Warning";
            environment["Database__Provider"] = "Postgres";
            environment["ConnectionStrings__Default"] = connectionString;
            environment["Clock__Now"] = "2023-11-15T10:00:00+08:00";
            environment["WeChat__ApiBaseAddress"] = wechatApi.ToString();
            environment["WeChat__Accounts__load__AppId"] = account.AppId;
            environment["WeChat__Accounts__load__AppSecret"] = account.AppSecret;
            environment["WeChat__Accounts__load__Token"] = account.Token;
            environment["WeChat__Accounts__load__EncodingAESKey"] = account.EncodingAESKey;
            environment["WeChat__Accounts__load__PolicyId"] = "pengshui-2024";
            environment["Telemetry__Enabled"] = telemetry ? "true" : "false";
            environment["Telemetry__PrometheusPort"] = metricsPort.ToString(CultureInfo.InvariantCulture);
            environment["Telemetry__PrometheusHost"] = "127.0.0.1";
            if (traces.Length > 0)
            {
                environment["Telemetry__Traces"] = traces;
            }
            var process = Process.Start(start)!;
            var output = new System.Text.StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new Server(name, process, new Uri($"http://127.0.0.1:{port}/wechat/load"));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                if (process.HasExited)
                {
                    break;
                }

                try
                {
                    if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"))).IsSuccessStatusCode)
                    {
                        return server;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(200);
            }

            server.Dispose();
            lock (output)
            {
                throw new InvalidOperationException($"The '{name}' server did not become healthy:\n{output}");
            }
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }

            process.Dispose();
        }
    }
}
