using System.Collections.Concurrent;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Scheduling;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class SchedulerTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_recurring_job_runs_through_Hangfire_PostgreSql_in_the_hangfire_schema_on_China_time()
    {
        var signals = new JobSignals();
        await using var server = ServerFactory.ForPostgres(await postgres.CreateDatabaseAsync(), services => WithSignalJob(services, signals));

        await FireOnceAsync(server, signals);

        var target = server.Services.GetRequiredService<WeChatAssist.Server.Data.DatabaseTarget>();
        Assert.Equal(1L, await Databases.ScalarAsync(target, $"SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value = '{SignalJob.Id}'"));
    }

    [Fact]
    public async Task A_recurring_job_runs_through_Hangfire_Storage_SQLite_in_a_file_beside_the_database()
    {
        using var file = new TempSqliteFile();
        var signals = new JobSignals();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, services: services => WithSignalJob(services, signals));

        await FireOnceAsync(server, signals);

        Assert.True(File.Exists(Path.Combine(file.Directory, "jobs.db")), "The job storage is the file jobs.db beside the database.");
    }

    [Fact]
    public async Task Every_feature_declares_its_recurring_jobs_on_China_Standard_Time()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString);
        _ = server.CreateClient();

        var jobs = server.Services.RecurringJobs();

        string[] expected = ["reminders-planner", "reminders-lease-sweep", "broadcasts-mass-send-sweep", "corrections-outcome-messages", "corrections-photo-retention", "chat-dialogue-sweep", "message-dedupe-sweep", "mini-program-sweep", "followers-unionid-backfill"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), jobs.Keys.Order(StringComparer.Ordinal));
        Assert.All(jobs.Values, job => Assert.Equal("Asia/Shanghai", job.TimeZoneId));
        Assert.Equal("*/10 * * * *", jobs["reminders-planner"].Cron);

        // Broadcasts and outcome messages run as their own jobs; these two are slow safety sweeps for lost jobs.
        Assert.Equal("*/15 * * * *", jobs["broadcasts-mass-send-sweep"].Cron);
        Assert.Equal("*/10 * * * *", jobs["corrections-outcome-messages"].Cron);

        // Next run computed on China time: the planner's next 10-minute mark, in UTC, is a China time ending in 0 minutes.
        var next = jobs["reminders-planner"].NextExecution!.Value;
        Assert.Equal(0, TimeZoneInfo.ConvertTimeFromUtc(next, RecurringJobs.ChinaStandardTime).Minute % 10);
    }

    [Fact]
    public async Task The_schema_is_applied_before_the_job_server_starts()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString);
        _ = server.CreateClient();

        // Hosted services start one after another in registration order; the job server opens its storage when it starts.
        var order = server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType()).ToList();
        var migrator = order.IndexOf(typeof(WeChatAssist.Server.Data.SchemaMigrationHostedService));
        var jobs = order.IndexOf(typeof(JobServerHostedService));

        Assert.True(migrator >= 0 && jobs >= 0, string.Join(", ", order.Select(t => t.Name)));
        Assert.True(migrator < jobs, "The schema migrator must start before the job server.");
    }

    [Fact]
    public async Task A_recurring_job_triggered_twice_at_once_on_PostgreSQL_never_runs_twice_at_once_even_across_two_nodes()
    {
        var database = await postgres.CreateDatabaseAsync();
        var probe = new OverlapProbe();
        await using var first = ServerFactory.ForPostgres(database, services => WithSlowJob(services, probe));
        await using var second = ServerFactory.ForPostgres(database, services => WithSlowJob(services, probe));
        _ = first.CreateClient();
        _ = second.CreateClient();

        await TriggerConcurrentlyAsync(probe, first, second);
    }

    [Fact]
    public async Task A_recurring_job_triggered_twice_at_once_on_SQLite_never_runs_twice_at_once()
    {
        using var file = new TempSqliteFile();
        var probe = new OverlapProbe();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, services: services => WithSlowJob(services, probe));
        _ = server.CreateClient();

        await TriggerConcurrentlyAsync(probe, server, server);
    }

    private static async Task TriggerConcurrentlyAsync(OverlapProbe probe, ServerFactory first, ServerFactory second)
    {
        // Four triggers, four workers per node: without the cluster-wide lock at least two would run side by side.
        var jobIds = new[] { first, second, first, second }.Select(server => server.Services.TriggerRecurringJob<SlowJob>()).ToList();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var monitoring = first.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        while (DateTime.UtcNow < deadline && !jobIds.All(id => monitoring.JobDetails(id)?.History.FirstOrDefault()?.StateName is "Succeeded" or "Failed" or "Deleted"))
        {
            await Task.Delay(200);
        }

        // A trigger that finds the job running is skipped: Hangfire records it Deleted, never Failed (no retries pile up).
        var states = jobIds.Select(id => monitoring.JobDetails(id).History[0].StateName).ToList();
        Assert.All(states, state => Assert.Contains(state, new[] { "Succeeded", "Deleted" }));
        Assert.Equal(1, probe.MaxConcurrent);
        Assert.True(probe.Started >= 1, "The job ran.");
        Assert.Equal(states.Count(state => state == "Succeeded"), probe.Started);
        Assert.True(probe.Started < jobIds.Count, $"Triggers that found the job running were skipped, not queued behind it ({probe.Started} of {jobIds.Count} ran).");
    }

    private static async Task FireOnceAsync(ServerFactory server, JobSignals signals)
    {
        _ = server.CreateClient();
        var fired = signals.Expect(SignalJob.Id);

        server.Services.TriggerRecurringJob<SignalJob>();

        var completed = await Task.WhenAny(fired, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(completed == fired, "The job did not run within 30 s.");
        Assert.Equal("Asia/Shanghai", server.Services.RecurringJobs()[SignalJob.Id].TimeZoneId);
    }

    private static void WithSignalJob(IServiceCollection services, JobSignals signals)
    {
        services.AddSingleton(signals);
        services.AddRecurringJob<SignalJob>(SignalJob.Id, "0 0 1 1 *");
    }

    private static void WithSlowJob(IServiceCollection services, OverlapProbe probe)
    {
        services.AddSingleton(probe);
        services.AddRecurringJob<SlowJob>("test-slow", "0 0 1 1 *");
    }
}

/// <summary>Lets a test wait for a particular job run.</summary>
public sealed class JobSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _waiting = new();

    public Task<string> Expect(string id) =>
        _waiting.GetOrAdd(id, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Signal(string id) =>
        _waiting.GetOrAdd(id, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(id);
}

/// <summary>A recurring job that reports it ran; built by Hangfire from the container.</summary>
internal sealed class SignalJob(JobSignals signals) : IRecurringJob
{
    public const string Id = "test-signal";

    public Task RunAsync(CancellationToken cancellationToken)
    {
        signals.Signal(Id);
        return Task.CompletedTask;
    }
}

/// <summary>Counts runs of <see cref="SlowJob"/> in progress at once, across every server in the test process.</summary>
internal sealed class OverlapProbe
{
    private int _running;
    private int _started;
    private int _max;

    public int Started => Volatile.Read(ref _started);

    public int MaxConcurrent => Volatile.Read(ref _max);

    public IDisposable Enter()
    {
        Interlocked.Increment(ref _started);
        var now = Interlocked.Increment(ref _running);
        int seen;
        while ((seen = Volatile.Read(ref _max)) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }

        return new Exit(this);
    }

    private sealed class Exit(OverlapProbe probe) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref probe._running);
    }
}

/// <summary>Holds for three seconds, long past the single-instance wait, so overlapping triggers would show.</summary>
internal sealed class SlowJob(OverlapProbe probe) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var _ = probe.Enter();
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
    }
}
