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

    // Whichever step meets the outage first logs one of these: a claim (the service loop) or recording a chunk's outcomes.
    private static readonly string[] OutageWarnings = ["Reminder dispatch could not reach the database", "could not be recorded; retrying while their lease holds"];

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

        await cluster.StopAsync();
        await WaitForLogAsync(server, TimeSpan.FromSeconds(30));
        var acceptedWhileDown = Accepted(server).Count;
        await cluster.StartAgainAsync();

        await server.WaitForCountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'", Residents, 60);
        var accepted = Accepted(server);
        output.WriteLine($"accepted before the restart {acceptedWhileDown}, in all {accepted.Count}, distinct {accepted.Distinct().Count()}, " +
            $"outage warnings {server.Logs.Lines.Count(IsOutageWarning)}");

        Assert.InRange(acceptedWhileDown, 200, Residents - 1);
        Assert.Equal(Residents, accepted.Distinct().Count());
        Assert.Equal(Residents, accepted.Count);
        Assert.Equal(Residents, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox"));
    }

    private static List<string> Accepted(ResidentServer server) =>
        [.. server.CallLog().Calls(ReminderTestServer.TemplateSend)
            .Where(c => c.ErrorCode == 0 && c.Body is not null)
            .Select(c => System.Text.Json.JsonDocument.Parse(c.Body!).RootElement.GetProperty("touser").GetString()!)];

    private static bool IsOutageWarning(string line) => OutageWarnings.Any(w => line.Contains(w, StringComparison.Ordinal));

    /// <summary>Waits until the dispatcher has met the outage.</summary>
    private static async Task WaitForLogAsync(ResidentServer server, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!server.Logs.Lines.Any(IsOutageWarning))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the dispatcher logged no outage warning within {timeout}");
            await Task.Delay(50);
        }
    }
}
