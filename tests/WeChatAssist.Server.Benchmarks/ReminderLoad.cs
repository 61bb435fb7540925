using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Hangfire;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Broadcasts;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Demo;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Policies;
using WeChatAssist.Server.Corrections;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Scheduling;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.WeChat;

namespace WeChatAssist.Server.Benchmarks;

/// <summary><c>reminders-load --postgres "Host=…;Username=…" [--residents 1000000] [--dispatch-seconds 20] [--compare 10000] [--loops 2] [--concurrency 64] [--phases plan,outbox | --phases dispatch --database name]</c>:
/// on fresh PostgreSQL databases, with the server's own services and its in-process WeChat simulator behind real
/// loopback HTTP: (1) a demo county, every resident bound and owing, planned in one run (the deadline-7d rule);
/// the planner run as its Hangfire recurring job (Hangfire.PostgreSql, the server's configuration), timed from the
/// trigger to the job's success; (2) dispatch throughput for a fixed time; (3) 10,000 reminders through the outbox
/// (plan + dispatch).</summary>
internal static class ReminderLoad
{
    public const string Verb = "reminders-load";

    /// <summary>Seven days before 彭水's deadline: the deadline-7d rule is due for every owing resident.</summary>
    private const string BusinessNow = "2023-12-24T10:00:00+08:00";

    public static async Task<int> RunAsync(string[] args)
    {
        var server = Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("WECHATASSIST_TEST_POSTGRES");
        if (server is null)
        {
            Console.WriteLine($"usage: {Verb} --postgres <server connection string> [--residents 1000000] [--dispatch-seconds 20] [--compare 10000]");
            return 2;
        }

        var residents = int.Parse(Option(args, "--residents") ?? "1000000", CultureInfo.InvariantCulture);
        var dispatchSeconds = int.Parse(Option(args, "--dispatch-seconds") ?? "20", CultureInfo.InvariantCulture);
        var compare = int.Parse(Option(args, "--compare") ?? "10000", CultureInfo.InvariantCulture);
        var loops = int.Parse(Option(args, "--loops") ?? "2", CultureInfo.InvariantCulture);
        var concurrency = Option(args, "--concurrency") ?? "64";
        var phases = (Option(args, "--phases") ?? "plan,outbox").Split(',');

        if (phases.Contains("plan"))
        {
            await using var app = await StartAsync(await CreateDatabaseAsync(server, "plan"), concurrency);
            var demo = await GenerateAsync(app, residents);
            Console.WriteLine(Invariant($"county: {demo.Residents:N0} residents, {demo.Bound:N0} bound, {demo.Paid:N0} paid, generated in {demo.Elapsed.TotalSeconds:F1} s"));
            var clock = Stopwatch.StartNew();
            var queued = await PlanThroughHangfireAsync(app);
            Console.WriteLine(Invariant($"plan: {queued:N0} reminders queued in {clock.Elapsed.TotalSeconds:F1} s (the reminders-planner Hangfire job, trigger to Succeeded)"));

            var dispatchClock = Stopwatch.StartNew();
            var sent = await DispatchForAsync(app, TimeSpan.FromSeconds(dispatchSeconds), loops);
            var elapsed = dispatchClock.Elapsed.TotalSeconds;
            Console.WriteLine(Invariant($"dispatch: {sent:N0} sent in {elapsed:F1} s = {sent / elapsed:N0} sends/s ({loops} dispatch loops, concurrency {concurrency}, simulator over loopback HTTP)"));
        }

        if (phases.Contains("dispatch") && Option(args, "--database") is { } existing)
        {
            // Dispatch only, on a database an earlier plan phase filled (its outbox still holds pending rows).
            // The business clock is pinned per process: an hour later than the planning run, so its rows are due.
            await using var app = await StartAsync(new NpgsqlConnectionStringBuilder(server) { Database = existing, CommandTimeout = 600 }.ConnectionString, concurrency, "2023-12-24T11:00:00+08:00");
            var dispatchClock = Stopwatch.StartNew();
            var sent = await DispatchForAsync(app, TimeSpan.FromSeconds(dispatchSeconds), loops);
            var elapsed = dispatchClock.Elapsed.TotalSeconds;
            Console.WriteLine(Invariant($"dispatch: {sent:N0} sent in {elapsed:F1} s = {sent / elapsed:N0} sends/s ({loops} dispatch loops, concurrency {concurrency}, simulator over loopback HTTP)"));
        }

        if (phases.Contains("outbox"))
        {
            await using var app = await StartAsync(await CreateDatabaseAsync(server, "outbox"), concurrency);
            await GenerateAsync(app, compare);
            var clock = Stopwatch.StartNew();
            var planned = (await app.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None)).Sum(p => p.Queued);
            var planTime = clock.Elapsed;
            var sent = 0L;
            while (sent < planned)
            {
                sent += (await app.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None)).Sent;
            }

            Console.WriteLine(Invariant($"outbox: {planned:N0} reminders planned in {planTime.TotalSeconds:F2} s, all sent after {clock.Elapsed.TotalSeconds:F1} s"));
        }

        return 0;
    }

    private static async Task<DemoCountySummary> GenerateAsync(RunningApp app, int residents)
    {
        var today = app.Services.GetRequiredService<BusinessClock>().Today();
        return await app.Services.GetRequiredService<DemoCountyGenerator>()
            .GenerateAsync(new DemoCountyRequest("pengshui-2024", residents, "wx0000000000000003", BoundShare: 1, PaidShare: 0), today, CancellationToken.None);
    }

    /// <summary>Triggers the planner's recurring job and waits until Hangfire records it succeeded; returns the outbox size.</summary>
    private static async Task<long> PlanThroughHangfireAsync(RunningApp app)
    {
        var jobId = ((IRecurringJobManagerV2)app.Services.GetRequiredService<IRecurringJobManager>()).TriggerJob("reminders-planner");
        var monitoring = app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        while (true)
        {
            var state = monitoring.JobDetails(jobId)?.History.FirstOrDefault()?.StateName;
            if (state == "Succeeded")
            {
                break;
            }

            if (state is "Failed" or "Deleted")
            {
                throw new InvalidOperationException($"The planner job ended {state}.");
            }

            await Task.Delay(50);
        }

        var target = app.Services.GetRequiredService<DatabaseTarget>();
        await using var connection = await target.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM reminder_outbox";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<long> DispatchForAsync(RunningApp app, TimeSpan duration, int loops)
    {
        var dispatcher = app.Services.GetRequiredService<ReminderDispatcher>();
        using var stop = new CancellationTokenSource(duration);
        long sent = 0;

        // Several loops, as several nodes' dispatchers would run; each claims its own batches (SKIP LOCKED).
        await Task.WhenAll(Enumerable.Range(0, loops).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                Interlocked.Add(ref sent, (await dispatcher.DispatchOnceAsync(CancellationToken.None)).Sent);
            }
        }));
        return sent;
    }

    private static async Task<RunningApp> StartAsync(string connectionString, string concurrency, string businessNow = BusinessNow)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = [] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Default"] = connectionString,
            ["Clock:Now"] = businessNow,
            ["WeChat:Accounts:pengshui:AppId"] = "wx0000000000000003",
            ["WeChat:Accounts:pengshui:PolicyId"] = "pengshui-2024",
            ["WeChat:Accounts:pengshui:EncodingAESKey"] = "",
            ["Reminders:DispatcherEnabled"] = "false",
            ["Reminders:Jitter"] = "00:00:00",
            ["Reminders:BatchSize"] = "1000",
            ["Reminders:RecordEvery"] = "250",
            ["Reminders:Concurrency"] = concurrency,
            ["Reminders:SendsPerSecond"] = "100000",
            ["Reminders:DailyBudget"] = "100000000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.AddBusinessClock();
        builder.AddDatabase();
        builder.AddScheduling();
        builder.AddPolicies();
        builder.AddWeChatChannel();
        builder.AddChat();
        builder.AddStaff();
        builder.AddPayments();
        builder.AddDemoCounty();
        builder.AddReminders();
        builder.AddBroadcasts();

        // Every feature whose recurring jobs are declared comes along, so each job finds its services.
        builder.AddMiniProgram();
        builder.AddImports();
        builder.AddCorrections();
        var app = builder.Build();
        app.MapWeChatChannel();
        await app.StartAsync();
        return new RunningApp(app);
    }

    /// <summary>A started app that is stopped before it is disposed: only a stopped host shuts its job server down.</summary>
    private sealed class RunningApp(WebApplication app) : IAsyncDisposable
    {
        public IServiceProvider Services => app.Services;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<string> CreateDatabaseAsync(string server, string purpose)
    {
        var name = Invariant($"bench_reminders_{purpose}_{DateTime.UtcNow:yyyyMMddHHmmss}");
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"database: {name}");
        return new NpgsqlConnectionStringBuilder(server) { Database = name, CommandTimeout = 600 }.ConnectionString;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
