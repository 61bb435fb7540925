using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class SchedulerTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Quartz_fires_a_job_on_PostgreSQL_with_the_clustered_store()
    {
        var signals = new JobSignals();
        await using var server = ServerFactory.ForPostgres(await postgres.CreateDatabaseAsync(), services => services.AddSingleton(signals));

        var scheduler = await FireOnceAsync(server, signals);

        Assert.True((await scheduler.GetMetadata(CancellationToken.None)).JobStorePersistent);
        Assert.True((await scheduler.GetMetadata(CancellationToken.None)).JobStoreClustered);
    }

    [Fact]
    public async Task Quartz_fires_a_job_on_SQLite_with_the_embedded_store()
    {
        using var file = new TempSqliteFile();
        var signals = new JobSignals();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, services: services => services.AddSingleton(signals));

        var scheduler = await FireOnceAsync(server, signals);

        Assert.True((await scheduler.GetMetadata(CancellationToken.None)).JobStorePersistent);
        Assert.False((await scheduler.GetMetadata(CancellationToken.None)).JobStoreClustered);
    }

    [Fact]
    public async Task The_schema_is_applied_before_the_scheduler_starts()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString);
        _ = server.CreateClient();

        // Hosted services start one after another in registration order; Quartz validates its tables when it starts.
        var order = server.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().Select(s => s.GetType()).ToList();
        var migrator = order.IndexOf(typeof(WeChatAssist.Server.Data.SchemaMigrationHostedService));
        var scheduler = order.IndexOf(typeof(QuartzHostedService));

        Assert.True(migrator >= 0 && scheduler >= 0, string.Join(", ", order.Select(t => t.Name)));
        Assert.True(migrator < scheduler, "The schema migrator must start before Quartz.");
    }

    private static async Task<IScheduler> FireOnceAsync(ServerFactory server, JobSignals signals)
    {
        _ = server.CreateClient();
        var scheduler = await server.Services.GetSchedulerAsync();
        var id = Guid.NewGuid().ToString("N");
        var fired = signals.Expect(id);
        var job = JobBuilder.Create<SignalJob>().WithIdentity("signal-" + id, "tests").UsingJobData(SignalJob.IdKey, id).StoreDurably().Build();
        var trigger = TriggerBuilder.Create().WithIdentity("signal-" + id, "tests").StartNow().Build();

        await scheduler.ScheduleJob(job, trigger, cancellationToken: CancellationToken.None);

        var completed = await Task.WhenAny(fired, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(completed == fired, "The job did not fire within 30 s.");

        // The job went through the database: being durable, its row stays in the store's table.
        Assert.Equal(id, await fired);
        var target = server.Services.GetRequiredService<WeChatAssist.Server.Data.DatabaseTarget>();
        Assert.Equal(1L, Convert.ToInt64(await Databases.ScalarAsync(target, $"SELECT count(*) FROM QRTZ_JOB_DETAILS WHERE JOB_NAME = 'signal-{id}'"), System.Globalization.CultureInfo.InvariantCulture));
        return scheduler;
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

/// <summary>A job that reports it ran; built by Quartz from the container.</summary>
public sealed class SignalJob(JobSignals signals) : IJob
{
    public const string IdKey = "id";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        signals.Signal(context.MergedJobDataMap.GetString(IdKey)!);
        return ValueTask.CompletedTask;
    }
}
