using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;
using Xunit.Abstractions;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>PostgreSQL really restarted (<c>pg_ctl stop -m fast</c>, then start) while a server dispatches: a cluster
/// of the test's own, since the shared test server is not ours to restart.</summary>
public sealed class ReminderPostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Residents = 1_000;

    private const string RecordRetry = "could not be recorded; retrying while their lease holds";
    private const string ClaimRetry = "Reminder dispatch could not reach the database";

    private PostgresCluster? _cluster;

    public async Task InitializeAsync() => _cluster = await PostgresCluster.StartAsync();

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task Dispatch_resumes_by_itself_after_PostgreSQL_restarts_mid_run_and_sends_every_reminder_exactly_once()
    {
        var cluster = _cluster!;
        var database = await cluster.CreateDatabaseAsync("wca_restart");
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, new Dictionary<string, string?>
        {
            ["Clock:Now"] = "2023-12-24T10:00:00+08:00",
            ["Reminders:Jitter"] = "00:00:00",
            ["Reminders:IdleDelay"] = "00:00:00.200",
            ["Reminders:BatchSize"] = "50",
            ["Reminders:RecordEvery"] = "10",
            ["Reminders:Concurrency"] = "4",
            // Longer than the outage: outcomes of sends made just before it are recorded once it is over, not re-sent.
            ["Reminders:LeaseDuration"] = "00:00:30",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await ReminderSeed.BoundResidentsAsync(server, Residents);

        // Sends take a few milliseconds, as over a network, so the restart lands while the outbox is still draining.
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, int.MaxValue) { DelayMilliseconds = 5 });
        var planned = await server.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None);
        Assert.Equal(Residents, planned.Sum(p => p.Queued));
        await server.WaitForCountAsync("SELECT LEAST(COUNT(*), 200) FROM reminder_outbox WHERE status = 'sent'", 200, 60);

        // Pin the stop inside a chunk: the next send takes 4 s, so the stop lands while the chunk is with WeChat and
        // its outcomes must be recorded after the database went away. The slow fault leaves the pending list when a
        // send takes it.
        var slow = new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay) { DelayMilliseconds = 4_000 };
        server.Faults().Clear();
        server.Faults().Inject(slow);
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, int.MaxValue) { DelayMilliseconds = 5 });
        await WaitUntilAsync(() => !server.Faults().Pending().Any(p => p.Fault == slow), TimeSpan.FromSeconds(30));
        int acceptedWhileDown;
        await cluster.StopAsync();
        try
        {
            await WaitForLogAsync(server, RecordRetry, TimeSpan.FromSeconds(30));
            acceptedWhileDown = Accepted(server).Count;
        }
        finally
        {
            // Also when the wait fails: the server must not be disposed against a stopped database.
            await cluster.StartAgainAsync();
        }

        await server.WaitForCountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'", Residents, 60);
        var accepted = Accepted(server);
        output.WriteLine($"accepted before the restart {acceptedWhileDown}, in all {accepted.Count}, distinct {accepted.Distinct().Count()}, " +
            $"record retries {server.Logs.Lines.Count(l => l.Contains(RecordRetry, StringComparison.Ordinal))}, claim retries {server.Logs.Lines.Count(l => l.Contains(ClaimRetry, StringComparison.Ordinal))}");

        Assert.InRange(acceptedWhileDown, 200, Residents - 1);
        Assert.Equal(Residents, accepted.Distinct().Count());
        Assert.Equal(Residents, accepted.Count);
        Assert.Equal(Residents, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox"));
    }

    private static List<string> Accepted(ResidentServer server) =>
        [.. server.CallLog().Calls(ReminderTestServer.TemplateSend)
            .Where(c => c.ErrorCode == 0 && c.Body is not null)
            .Select(c => System.Text.Json.JsonDocument.Parse(c.Body!).RootElement.GetProperty("touser").GetString()!)];

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not done within {timeout}");
            await Task.Delay(10);
        }
    }

    private static async Task WaitForLogAsync(ResidentServer server, string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!server.Logs.Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"no log line '{text}' within {timeout}; the last warnings and errors:\n" +
                string.Join("\n", server.Logs.Lines
                    .Where(l => (l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)) && !l.Contains(" Hangfire.", StringComparison.Ordinal))
                    .Select(l => l.Length > 600 ? l[..600] : l)
                    .TakeLast(8)));
            await Task.Delay(50);
        }
    }
}
