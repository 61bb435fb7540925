using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;
using Xunit.Abstractions;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>A real server process (Production configuration, PostgreSQL, dispatcher on) killed with SIGKILL, or
/// stopped with SIGTERM, in the middle of a batch, then a new process started: the simulator, hosted in the test
/// process, outlives both and its call log says what "WeChat" accepted from each.</summary>
public sealed class ReminderProcessKillTests(PostgresServer postgres, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private const int Residents = 3_000;
    private const int BatchSize = 100;
    private const int RecordEvery = 20;
    private const string PlannedAt = "2023-12-24T10:00:00+08:00";

    // The processes' business clocks start an hour after planning, so every planned row is due for them.
    private static readonly DateTimeOffset DispatchFrom = DateTimeOffset.Parse("2023-12-24T11:00:00+08:00", CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_server_process_killed_mid_batch_loses_nothing_and_repeats_only_rows_it_had_leased_and_sent()
    {
        await using var simulator = await LoopbackSimulator.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        await PlanAsync(database);
        var openIds = await OpenIdsAsync(database, "SELECT open_id FROM reminder_outbox");
        Assert.Equal(Residents, openIds.Count);

        // Sends take a few milliseconds, as over a network, so the process is busy when it dies.
        simulator.Faults.Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, int.MaxValue) { DelayMilliseconds = 5 });
        var firstStarted = DateTimeOffset.UtcNow;
        await using var doomed = ServerProcess.Start(ServerEnvironment(database, simulator, "wca-doomed", DispatchFrom));
        await doomed.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        await WaitForAsync(database, "SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'", n => n >= 300, TimeSpan.FromSeconds(60));

        // Pin the kill inside a batch: the next send never answers, so the chunk it belongs to cannot be recorded.
        // The chunk's other sends finish (WeChat accepted them) and stay unrecorded: the at-most-once window.
        simulator.Faults.Clear();
        simulator.Faults.Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Timeout));
        simulator.Faults.Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, int.MaxValue) { DelayMilliseconds = 5 });
        await simulator.CallLog.WaitForAsync(c => c.Endpoint == ReminderTestServer.TemplateSend && c.ErrorCode == -1, TimeSpan.FromSeconds(30), CancellationToken.None);
        await WaitUntilSteadyAsync(() => simulator.AcceptedRecipients(ReminderTestServer.TemplateSend).Count, TimeSpan.FromSeconds(20));
        await doomed.KillAsync();

        // The dead process's sessions close with it; once PostgreSQL has let them go, its last transaction is settled.
        await WaitForAsync(database, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'wca-doomed'", n => n == 0, TimeSpan.FromSeconds(30));
        var leasedAtKill = await OpenIdsAsync(database, "SELECT open_id FROM reminder_outbox WHERE status = 'leased'");
        var sentAtKill = await CountAsync(database, "SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'");
        var acceptedBeforeRestart = simulator.AcceptedRecipients(ReminderTestServer.TemplateSend).ToHashSet(StringComparer.Ordinal);

        // The new process continues the dead one's business timeline, so the leases expire as they would in production.
        await using var survivor = ServerProcess.Start(ServerEnvironment(database, simulator, "wca-survivor", DispatchFrom + (DateTimeOffset.UtcNow - firstStarted)));
        await survivor.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        await WaitForAsync(database, "SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'", n => n == Residents, TimeSpan.FromSeconds(60));

        var accepted = simulator.AcceptedRecipients(ReminderTestServer.TemplateSend);
        var repeated = accepted.GroupBy(r => r, StringComparer.Ordinal).Where(g => g.Count() > 1).ToList();
        var inWindow = acceptedBeforeRestart.Where(leasedAtKill.Contains).ToHashSet(StringComparer.Ordinal);
        var budgetUsed = await CountAsync(database, "SELECT COALESCE(SUM(used), 0) FROM send_budgets");
        output.WriteLine($"sent at kill {sentAtKill}, leased at kill {leasedAtKill.Count}, accepted but unrecorded {inWindow.Count}, repeated {repeated.Count}, accepted in all {accepted.Count}, budget used {budgetUsed}");

        Assert.InRange(sentAtKill, 300, Residents - 1);
        Assert.NotEmpty(leasedAtKill);
        Assert.True(openIds.SetEquals(accepted), "every planned reminder was delivered");
        Assert.All(repeated, g => Assert.Equal(2, g.Count()));
        Assert.Equal(inWindow.Order(StringComparer.Ordinal), repeated.Select(g => g.Key).Order(StringComparer.Ordinal));
        Assert.InRange(repeated.Count, 1, RecordEvery);
        Assert.Equal(Residents, await CountAsync(database, "SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent' AND msgid IS NOT NULL"));
        Assert.Equal(Residents, await CountAsync(database, "SELECT COUNT(*) FROM reminder_outbox"));

        // The dead process had taken its last batch from the shared daily budget; the rows it never recorded are
        // taken again by the survivor, so the day's count runs ahead by at most one batch (documented in the README).
        Assert.InRange(budgetUsed, Residents, Residents + BatchSize);
    }

    [Fact]
    public async Task A_server_process_stopped_with_SIGTERM_mid_batch_records_what_WeChat_accepted_and_repeats_nothing()
    {
        await using var simulator = await LoopbackSimulator.StartAsync();
        var database = await postgres.CreateDatabaseAsync();
        await PlanAsync(database);
        var openIds = await OpenIdsAsync(database, "SELECT open_id FROM reminder_outbox");
        simulator.Faults.Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, int.MaxValue) { DelayMilliseconds = 5 });
        var firstStarted = DateTimeOffset.UtcNow;
        await using var stopping = ServerProcess.Start(ServerEnvironment(database, simulator, "wca-stopping", DispatchFrom));
        await stopping.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        await WaitForAsync(database, "SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'", n => n >= 300, TimeSpan.FromSeconds(60));

        // Pin the stop inside a chunk: the next send takes 10 s, so the chunk's other sends are accepted and wait to be
        // recorded when the stop comes. The slow fault leaves the pending list when a send takes it.
        var slow = new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay) { DelayMilliseconds = 10_000 };
        simulator.Faults.Clear();
        simulator.Faults.Inject(slow);
        simulator.Faults.Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, int.MaxValue) { DelayMilliseconds = 5 });
        await WaitUntilSteadyAsync(() => simulator.Faults.Pending().Count(p => p.Fault == slow), TimeSpan.FromSeconds(20), until: 0);
        await WaitUntilSteadyAsync(() => simulator.AcceptedRecipients(ReminderTestServer.TemplateSend).Count, TimeSpan.FromSeconds(20));
        var accepted = simulator.AcceptedRecipients(ReminderTestServer.TemplateSend).ToHashSet(StringComparer.Ordinal);
        var unrecordedBeforeStop = (await OpenIdsAsync(database, "SELECT open_id FROM reminder_outbox WHERE status = 'leased'")).Count(accepted.Contains);

        await stopping.TerminateAsync(TimeSpan.FromSeconds(60));
        var unrecordedAfterStop = (await OpenIdsAsync(database, "SELECT open_id FROM reminder_outbox WHERE status = 'leased'")).Count(accepted.Contains);

        await using var survivor = ServerProcess.Start(ServerEnvironment(database, simulator, "wca-survivor", DispatchFrom + (DateTimeOffset.UtcNow - firstStarted)));
        await survivor.WaitForHealthyAsync(TimeSpan.FromSeconds(60));
        await WaitForAsync(database, "SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'", n => n == Residents, TimeSpan.FromSeconds(60));
        var all = simulator.AcceptedRecipients(ReminderTestServer.TemplateSend);
        output.WriteLine($"accepted but unrecorded: before the stop {unrecordedBeforeStop}, after it {unrecordedAfterStop}; accepted in all {all.Count}");

        Assert.Equal(0, stopping.ExitCode);
        Assert.InRange(unrecordedBeforeStop, 1, RecordEvery - 1);
        Assert.Equal(0, unrecordedAfterStop);
        Assert.True(openIds.SetEquals(all), "every planned reminder was delivered");
        Assert.Equal(Residents, all.Count);
    }

    /// <summary>Seeds bound, owing residents and plans their deadline reminders with an in-process node that does not
    /// dispatch and is gone before the processes start.</summary>
    private static async Task PlanAsync(string database)
    {
        await using var planner = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, new Dictionary<string, string?>
        {
            ["Clock:Now"] = PlannedAt,
            ["Reminders:DispatcherEnabled"] = "false",
            ["Reminders:Jitter"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await ReminderSeed.BoundResidentsAsync(planner, Residents);
        var planned = await planner.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None);
        Assert.Equal(Residents, planned.Sum(p => p.Queued));
    }

    /// <summary>A Production server: PostgreSQL, one county account calling the simulator, its dispatcher on.</summary>
    private static Dictionary<string, string> ServerEnvironment(string database, LoopbackSimulator simulator, string applicationName, DateTimeOffset businessNow) => new()
    {
        ["Database__Provider"] = "Postgres",
        ["ConnectionStrings__Default"] = new NpgsqlConnectionStringBuilder(database) { ApplicationName = applicationName }.ConnectionString,
        ["Clock__Now"] = businessNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffffzzz", CultureInfo.InvariantCulture),
        ["WeChat__ApiBaseAddress"] = simulator.ApiBaseAddress.ToString(),
        ["WeChat__ApiTimeout"] = "00:02:00",
        ["WeChat__Accounts__pengshui__AppId"] = ResidentServer.AppId,
        ["WeChat__Accounts__pengshui__PolicyId"] = "pengshui-2024",
        ["WeChat__Accounts__pengshui__AppSecret"] = "kill-test-app-secret",
        ["WeChat__Accounts__pengshui__Token"] = "kill-test-token",
        ["Reminders__BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture),
        ["Reminders__RecordEvery"] = RecordEvery.ToString(CultureInfo.InvariantCulture),
        ["Reminders__Concurrency"] = "8",
        ["Reminders__LeaseDuration"] = "00:00:05",
        ["Reminders__IdleDelay"] = "00:00:00.200",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    private static async Task WaitForAsync(string database, string sql, Func<long, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        long last;
        while (!done(last = await CountAsync(database, sql)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"'{sql}' stayed at {last}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until <paramref name="read"/> gives the same value (<paramref name="until"/>, when given) three
    /// polls in a row.</summary>
    private static async Task WaitUntilSteadyAsync(Func<int> read, TimeSpan timeout, int? until = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var (last, steady) = (read(), 0);
        while (steady < 3 || (until is { } wanted && last != wanted))
        {
            Assert.True(DateTime.UtcNow < deadline, $"still changing after {timeout}");
            await Task.Delay(100);
            var now = read();
            (last, steady) = (now, now == last ? steady + 1 : 0);
        }
    }

    private static async Task<long> CountAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<HashSet<string>> OpenIdsAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var openIds = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            openIds.Add(reader.GetString(0));
        }

        return openIds;
    }
}
