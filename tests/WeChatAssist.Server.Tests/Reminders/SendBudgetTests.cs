using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>The shared daily budget counts only what WeChat accepted: a batch takes its share up front and every row
/// that was not sent gives its share back.</summary>
public sealed class SendBudgetTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string DeadlineMinus7 = "2023-12-24T10:00:00+08:00";
    private const string UsedToday = $"SELECT COALESCE(SUM(used), 0) FROM send_budgets WHERE app_id = '{ResidentServer.AppId}' AND day = '2023-12-24'";
    private const string SentRows = "SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'";
    private const string Holds = "SELECT COUNT(*) FROM send_budget_holds";

    private static readonly Dictionary<string, string?> ManualDispatch = new()
    {
        ["Reminders:DispatcherEnabled"] = "false",
        ["Reminders:Concurrency"] = "1",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_with_a_transient_failure_a_refusal_and_a_quota_day_counts_only_the_message_WeChat_accepted(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7, ManualDispatch);
        await server.PlanForResidentsAsync(6);

        // The sixth row is deferred without a call: the quota day is over after the 45009.
        server.Faults().InjectOneOfEachErrorClass();

        var round = await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(new DispatchRound(6, 1, 1, 3, 1, 0), round);
        Assert.Equal(1, await server.CountAsync(UsedToday));
        Assert.Equal(1, await server.CountAsync(SentRows));
        Assert.Equal(0, await server.CountAsync(Holds));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Rounds_with_a_third_of_calls_failing_leave_the_budget_equal_to_the_rows_sent(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        var settings = new Dictionary<string, string?>(ManualDispatch) { ["WeChat:ApiMaxAttempts"] = "1", ["Reminders:MaxAttempts"] = "3", ["Reminders:Concurrency"] = "4" };
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7, settings);
        await server.PlanForResidentsAsync(20);
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.ErrorCode) { ErrorCode = -1, Rate = 0.33 });
        var dispatcher = server.Services.GetRequiredService<ReminderDispatcher>();

        var rounds = 0;
        while ((await dispatcher.DispatchOnceAsync(CancellationToken.None)).Claimed > 0)
        {
            rounds++;
            Assert.True(rounds < 10, "every row should end within MaxAttempts rounds");
        }

        var sent = await server.CountAsync(SentRows);
        Assert.Equal(20, sent + await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'failed' AND last_error_code = -1"));
        Assert.Equal(sent, await server.CountAsync(UsedToday));
        Assert.Equal(sent, server.CallLog().Calls(ReminderTestServer.TemplateSend).Count(c => c.ErrorCode == 0));
        Assert.Equal(0, await server.CountAsync(Holds));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_abandoned_batch_records_what_WeChat_accepted_gives_back_the_rest_of_its_budget_and_returns_the_rows_it_never_called(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7, ManualDispatch);
        await server.PlanForResidentsAsync(4);

        // The first send is answered quickly, the second hangs while the node stops; the last two never start.
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay) { DelayMilliseconds = 1 });
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Timeout));
        var dispatcher = server.Services.GetRequiredService<ReminderDispatcher>();
        using var stopping = new CancellationTokenSource();
        var dispatch = dispatcher.DispatchOnceAsync(stopping.Token);
        await WaitUntilAsync(() => server.CallLog().Calls(ReminderTestServer.TemplateSend).Count >= 1 && !dispatch.IsCompleted);
        await Task.Delay(300);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dispatch);

        // The stopping node records the send WeChat answered (and keeps its budget share); the send cut off in flight
        // keeps its lease, and the two never called go back to pending; neither takes budget.
        Assert.Equal(1, await server.CountAsync(SentRows));
        Assert.Equal(1, await server.CountAsync(UsedToday));
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'leased'"));
        Assert.Equal(2, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'pending'"));
        Assert.Equal(0, await server.CountAsync(Holds));

        // The sweeper returns the leased row; the next round sends the other three and takes their budget.
        server.Faults().Clear();
        await server.Services.GetRequiredService<ReminderOutbox>().SweepAsync(DateTimeOffset.UtcNow.AddYears(10), CancellationToken.None);
        var next = await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(3, next.Sent);
        Assert.Equal(4, await server.CountAsync(UsedToday));
        Assert.Equal(4, await server.CountAsync(SentRows));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_budget_a_hung_node_holds_goes_back_when_its_lease_is_swept_and_its_late_outcomes_change_nothing(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7, ManualDispatch);
        await server.PlanForResidentsAsync(3);
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Timeout));
        var dispatcher = server.Services.GetRequiredService<ReminderDispatcher>();
        using var hungNode = new CancellationTokenSource();
        var hung = dispatcher.DispatchOnceAsync(hungNode.Token);
        await WaitUntilAsync(() => server.CallLog().Calls(ReminderTestServer.TemplateSend).Count >= 1);
        var heldWhileHung = await server.CountAsync(UsedToday);

        // Its lease runs out: the sweep returns its rows and the budget it held; another round sends them all.
        var later = DateTimeOffset.UtcNow.AddYears(10);
        await server.Services.GetRequiredService<ReminderOutbox>().SweepAsync(later, CancellationToken.None);
        var released = await server.Services.GetRequiredService<SendBudgets>().ReleaseExpiredAsync(later, CancellationToken.None);
        var usedAfterSweep = await server.CountAsync(UsedToday);
        var next = await dispatcher.DispatchOnceAsync(CancellationToken.None);
        await hungNode.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hung);

        Assert.Equal((3L, 3, 0L), (heldWhileHung, released, usedAfterSweep));
        Assert.Equal(3, next.Sent);
        Assert.Equal(3, await server.CountAsync(UsedToday));
        Assert.Equal(3, await server.CountAsync(SentRows));
        Assert.Equal(0, await server.CountAsync(Holds));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Concurrent_reservations_never_grant_more_than_the_budget_and_settling_never_takes_used_below_zero(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7, ManualDispatch);
        var budgets = server.Services.GetRequiredService<SendBudgets>();
        var day = new DateOnly(2023, 12, 24);
        var until = DateTimeOffset.UtcNow.AddMinutes(5);

        var granted = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => budgets.ReserveAsync(ResidentServer.AppId, day, 30, 100, "node-" + i, until, CancellationToken.None)));
        var usedAfterReserving = await server.CountAsync(UsedToday);

        // Someone lowered "used" by hand meanwhile; a node then gives back all 30 of its hold.
        var node = Array.FindIndex(granted, g => g == 30);
        await server.CountAsync($"UPDATE send_budgets SET used = 10 WHERE app_id = '{ResidentServer.AppId}' RETURNING used");
        await budgets.SettleAsync("node-" + node, ResidentServer.AppId, 0, 30, CancellationToken.None);

        Assert.Equal(100, granted.Sum());
        Assert.Equal(100, usedAfterReserving);
        Assert.Equal(0, await server.CountAsync(UsedToday));
        Assert.Equal(granted.Count(g => g > 0) - 1, await server.CountAsync(Holds));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out");
            await Task.Delay(20);
        }
    }
}
