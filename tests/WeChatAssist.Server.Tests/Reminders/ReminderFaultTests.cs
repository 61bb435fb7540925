using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>Faults on PostgreSQL: two nodes dispatching one outbox, the database dropping the dispatcher's
/// connections, and a simulator answering -1, 43101 and 45009. A node killed (SIGKILL) or stopped (SIGTERM) mid-batch
/// runs as a real process against a simulator that outlives it (<see cref="ReminderProcessKillTests"/>): an in-process
/// node would take its simulator down with it. A real PostgreSQL restart is <see cref="ReminderPostgresRestartTests"/>.</summary>
public sealed class ReminderFaultTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string DeadlineMinus7 = "2023-12-24T10:00:00+08:00";

    [Fact]
    public async Task Two_nodes_dispatching_one_outbox_send_every_reminder_exactly_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var settings = Settings(new() { ["Reminders:BatchSize"] = "40", ["Reminders:Concurrency"] = "8" });
        await using var first = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, settings);
        await using var second = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, settings);
        await ReminderSeed.BoundResidentsAsync(first, 400);
        foreach (var node in new[] { first, second })
        {
            // Sends take a few milliseconds, as over a network, so both nodes are busy at once.
            node.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, 10_000) { DelayMilliseconds = 5 });
        }

        // Planned by the node started last: each node's pinned business clock started at the same instant when its
        // server started, so the later node's clock is behind and rows it plans are due for both.
        var planned = await second.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None);

        Assert.Equal(400, planned.Sum(p => p.Queued));
        await first.WaitForCountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'", 400, 60);
        var sends = Sends(first).Concat(Sends(second)).ToList();
        Assert.Equal(400, sends.Count);
        Assert.Equal(400, sends.Distinct().Count());
        Assert.NotEmpty(Sends(first));
        Assert.NotEmpty(Sends(second));
    }

    [Fact]
    public async Task The_lease_sweeper_job_returns_expired_leases()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, Settings(new() { ["Reminders:DispatcherEnabled"] = "false" }));
        await ReminderSeed.BoundResidentsAsync(server, 3);
        await server.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None);
        var target = server.Services.GetRequiredService<DatabaseTarget>();
        await Databases.ScalarAsync(target, "UPDATE reminder_outbox SET status = 'leased', lease_owner = 'dead-node', lease_until = TIMESTAMPTZ '2023-12-24 09:59:00+08'");

        server.Services.TriggerRecurringJob<ReminderLeaseSweepJob>();

        await server.WaitForCountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'pending' AND lease_owner IS NULL", 3);
    }

    [Fact]
    public async Task Dispatch_resumes_by_itself_after_the_database_drops_its_connections()
    {
        // Connections dropped without a restart (an administrator's pg_terminate_backend, a proxy failing over): every
        // backend of this test's database is terminated several times while the dispatcher runs. A real restart is
        // ReminderPostgresRestartTests, on a cluster of its own.
        var database = await postgres.CreateDatabaseAsync();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, Settings(new() { ["Reminders:BatchSize"] = "25", ["Reminders:LeaseDuration"] = "00:00:02", ["Reminders:IdleDelay"] = "00:00:00.200" }));
        await ReminderSeed.BoundResidentsAsync(server, 300);
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, 100_000) { DelayMilliseconds = 5 });
        await server.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None);

        var name = new NpgsqlConnectionStringBuilder(database).Database!;
        for (var i = 0; i < 5; i++)
        {
            await Task.Delay(300);
            await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable));
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", admin);
            kill.Parameters.AddWithValue("db", name);
            await kill.ExecuteScalarAsync();
        }

        await server.WaitForCountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'", 300, 90);
        Assert.Equal(300, Sends(server).Distinct().Count());
        Assert.Equal(300, Sends(server).Count);
    }

    [Fact]
    public async Task With_ten_percent_minus_one_refusals_and_a_quota_day_every_row_ends_sent_deferred_or_failed_with_its_code()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, Settings(new() { ["Reminders:BatchSize"] = "20", ["Reminders:Concurrency"] = "4" }));
        await ReminderSeed.BoundResidentsAsync(server, 300);
        var faults = server.Faults();
        faults.Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.ErrorCode, 10) { ErrorCode = 43101 });
        faults.Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.ErrorCode) { ErrorCode = -1, Rate = 0.1 });

        await server.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None);
        await server.WaitForCountAsync("SELECT LEAST(COUNT(*), 150) FROM reminder_outbox WHERE status = 'sent'", 150, 60);
        faults.Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.ErrorCode) { ErrorCode = 45009 });
        await server.WaitForCountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status IN ('pending', 'leased')", 0, 60);

        Assert.Equal(10, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'failed' AND last_error_code = 43101"));
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'failed' AND last_error_code <> 43101"));
        Assert.True(await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'deferred' AND last_error_code = 45009") > 0);
        Assert.Equal(300, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status IN ('sent', 'deferred', 'failed')"));
        Assert.Contains(server.CallLog().Calls(ReminderTestServer.TemplateSend), c => c.ErrorCode == -1);
        Assert.Equal(await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'"), Sends(server).Distinct().Count());
    }

    private static Dictionary<string, string?> Settings(Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Clock:Now"] = DeadlineMinus7,
            ["Reminders:IdleDelay"] = "00:00:00.050",
            ["Reminders:Jitter"] = "00:00:00",
            ["Reminders:RetryBaseDelay"] = "00:00:00",
            ["WeChat:ApiRetryBaseDelay"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>Recipients of the template messages this node's simulator accepted.</summary>
    private static List<string> Sends(ResidentServer server) =>
        [.. server.CallLog().Calls(ReminderTestServer.TemplateSend)
            .Where(c => c.ErrorCode == 0 && c.Body is not null)
            .Select(c => System.Text.Json.JsonDocument.Parse(c.Body!).RootElement.GetProperty("touser").GetString()!)];
}

/// <summary>Bound, owing residents inserted set-based (no personal data is needed to send a reminder), for volume tests.</summary>
internal static class ReminderSeed
{
    public static async Task BoundResidentsAsync(ResidentServer server, int count, string policyId = "pengshui-2024", string appId = ResidentServer.AppId)
    {
        var target = server.Services.GetRequiredService<DatabaseTarget>();
        await using var connection = await target.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO residents (policy_id, township, village, name_encrypted, id_number_encrypted, id_hash, birth_date, category_codes, created_at)
            SELECT '{policyId}', '汉葭街道', '文家村', 'x', 'x', 'seed-' || g, DATE '1980-01-01', '', now() FROM generate_series(1, {count}) g;
            INSERT INTO resident_bindings (app_id, open_id, resident_id, relation, created_at)
            SELECT '{appId}', 'oSeed' || r.id, r.id, 'self', now() FROM residents r WHERE r.id_hash LIKE 'seed-%';
            """;
        await command.ExecuteNonQueryAsync();
    }
}
