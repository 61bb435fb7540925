using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Benchmarks;

/// <summary>
/// Open-loop load on identity binding and <c>GET /api/v1/mp/me</c> against a running server (Development, so its
/// WeChat simulator issues <c>wx.login</c> codes) on PostgreSQL. Before measuring it seeds residents into the same
/// database through the server's own registry code, with the personal-data keys the server reads from the same
/// environment variables (<c>PersonalData__*</c>), and signs in one mini-program user per binding. Then requests leave
/// at a fixed rate, alternating a first-time binding (a fresh user binding a fresh resident: every check and write)
/// and a <c>me</c> of an already bound user; latency percentiles per kind and errors are printed. Loopback only.
/// </summary>
internal static class MiniProgramLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = LoadRun.Options(args);
        var url = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5080/"));
        if (!url.IsLoopback)
        {
            Console.Error.WriteLine($"miniprogram-load only targets loopback addresses, not {url.Host}.");
            return 2;
        }

        var connection = options.GetValueOrDefault("connection", Environment.GetEnvironmentVariable("ConnectionStrings__Default") ?? "");
        if (connection.Length == 0)
        {
            Console.Error.WriteLine("Give --connection (the server's PostgreSQL connection string) or set ConnectionStrings__Default.");
            return 2;
        }

        var account = options.GetValueOrDefault("account", "pengshui");
        var appId = options.GetValueOrDefault("appid", "wx0000000000000003");
        var policyId = options.GetValueOrDefault("policy", "pengshui-2024");
        var rate = int.Parse(options.GetValueOrDefault("rate", "200"), CultureInfo.InvariantCulture);
        var seconds = int.Parse(options.GetValueOrDefault("seconds", "30"), CultureInfo.InvariantCulture);
        var bound = int.Parse(options.GetValueOrDefault("bound", "500"), CultureInfo.InvariantCulture);
        var total = rate * seconds;
        var binds = (total + 1) / 2;

        var settings = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var personalData = settings.GetSection(PersonalDataOptions.SectionName).Get<PersonalDataOptions>() ?? new PersonalDataOptions();
        if (!personalData.IsConfigured)
        {
            Console.Error.WriteLine("Set PersonalData__Keys__{id}, PersonalData__ActiveKeyId and PersonalData__LookupKey exactly as for the server.");
            return 2;
        }

        var protector = new PersonalDataProtector(Options.Create(personalData));
        var database = DatabaseTarget.Create(new DatabaseOptions { Provider = "Postgres", ConnectionString = connection }, AppContext.BaseDirectory);
        var registry = new ResidentRegistry(database, protector, TimeProvider.System);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = url,
            Timeout = TimeSpan.FromSeconds(10),
        };

        // Setup, not measured: residents, one signed-in user each, and the users whose `me` is read.
        var run = Random.Shared.Next(0, 15000);
        var people = bound + binds;
        Console.WriteLine($"Seeding {people} residents and signing in {people} users...");
        var residents = new (string Name, string Number)[people];
        await Parallel.ForAsync(0, people, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            residents[i] = (Name(i), Number(run, i));
            ResidentIdNumber.TryParse(residents[i].Number, DateOnly.FromDateTime(DateTime.Today), out var number, out _);
            await registry.InsertAsync(new NewResident(policyId, "汉葭街道", "文家村", residents[i].Name, number!.Value, []), ct);
        });

        var tokens = new string[people];
        await Parallel.ForAsync(0, people, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            tokens[i] = await SignInAsync(http, account, appId, $"oLoad{run}{i:D7}", ct));
        for (var i = 0; i < bound; i++)
        {
            var error = await BindAsync(http, tokens[i], residents[i], CancellationToken.None);
            if (error is not null)
            {
                Console.Error.WriteLine($"setup binding failed: {error}");
                return 1;
            }
        }

        for (var i = 0; i < 50; i++)
        {
            await MeAsync(http, tokens[i % bound], CancellationToken.None);
        }

        Console.WriteLine($"Sending {total} requests to {url} at {rate}/s for {seconds} s: {binds} first-time bindings, {total - binds} `me` of {bound} bound users...");
        var bindLatencies = new double[binds];
        var meLatencies = new double[total - binds];
        var failures = new List<string>();
        // With --server-pid, the server's own CPU time per request: a figure the machine's other load barely moves.
        using var server = options.TryGetValue("server-pid", out var pid) ? Process.GetProcessById(int.Parse(pid, CultureInfo.InvariantCulture)) : null;
        var serverCpuBefore = server?.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var pending = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            // Open loop: request i leaves at i/rate seconds whatever happened to the earlier ones.
            var wait = TimeSpan.FromSeconds((double)i / rate) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }

            var index = i;
            pending.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                string? error;
                if (index % 2 == 0)
                {
                    var person = bound + index / 2;
                    error = await BindAsync(http, tokens[person], residents[person], CancellationToken.None);
                    bindLatencies[index / 2] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }
                else
                {
                    error = await MeAsync(http, tokens[index / 2 % bound], CancellationToken.None);
                    meLatencies[index / 2] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                }

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
        Console.WriteLine($"sent {total} in {elapsed.TotalSeconds:F1} s = {total / elapsed.TotalSeconds:F0}/s");
        Report("binding", bindLatencies);
        Report("me", meLatencies);
        if (server is not null)
        {
            server.Refresh();
            var cpu = server.TotalProcessorTime - serverCpuBefore!.Value;
            Console.WriteLine($"server CPU: {cpu.TotalSeconds:F1} s = {cpu.TotalMilliseconds / total:F2} ms per request ({cpu.TotalSeconds / elapsed.TotalSeconds * 100:F0} % of one core)");
        }

        if (File.Exists("/proc/loadavg"))
        {
            Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} ({Environment.ProcessorCount} cores)");
        }
        Console.WriteLine($"errors: {failures.Count}" + (failures.Count > 0 ? $" (first: {failures[0]})" : ""));
        return failures.Count == 0 ? 0 : 1;
    }

    private static async Task<string> SignInAsync(HttpClient http, string account, string appId, string openId, CancellationToken cancellationToken)
    {
        using var codeResponse = await http.PostAsync(new Uri($"wechat-sim/_simulator/codes?appid={appId}&openid={openId}", UriKind.Relative), null, cancellationToken);
        codeResponse.EnsureSuccessStatusCode();
        var code = (await codeResponse.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("code").GetString();
        using var session = await http.PostAsJsonAsync("api/v1/mp/session", new { account, code }, cancellationToken);
        session.EnsureSuccessStatusCode();
        return (await session.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("token").GetString()!;
    }

    private static async Task<string?> BindAsync(HttpClient http, string token, (string Name, string Number) person, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/mp/bindings", UriKind.Relative))
        {
            Content = JsonContent.Create(new { name = person.Name, idNumber = person.Number, relation = "self" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await SendAsync(http, request, 201, cancellationToken);
    }

    private static async Task<string?> MeAsync(HttpClient http, string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/v1/mp/me", UriKind.Relative));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await SendAsync(http, request, 200, cancellationToken);
    }

    private static async Task<string?> SendAsync(HttpClient http, HttpRequestMessage request, int expected, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return (int)response.StatusCode == expected ? null : $"{request.RequestUri}: HTTP {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ex.GetType().Name + ": " + ex.Message;
        }
    }

    // Synthetic people: a name from a small stock of characters, a valid number unique within the run.
    private static string Name(int i) => "测" + "甲乙丙丁戊己庚辛壬癸"[i % 10] + "子丑寅卯辰巳午未申酉戌亥"[i / 10 % 12];

    private static string Number(int run, int i)
    {
        // A thousand numbers per birth day; each run starts on its own day, so reruns on one database rarely collide.
        var birth = new DateOnly(1940, 1, 1).AddDays(run + i / 1000);
        var first17 = "500243" + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + (i % 1000).ToString("D3", CultureInfo.InvariantCulture);
        return first17 + ResidentIdNumber.CheckCharacter(first17);
    }

    private static void Report(string kind, double[] latencies)
    {
        Array.Sort(latencies);
        Console.WriteLine($"{kind,-8} n={latencies.Length}  latency ms: p50 {LoadRun.Percentile(latencies, 0.50):F1}  p90 {LoadRun.Percentile(latencies, 0.90):F1}  p99 {LoadRun.Percentile(latencies, 0.99):F1}  max {latencies[^1]:F1}");
    }
}
