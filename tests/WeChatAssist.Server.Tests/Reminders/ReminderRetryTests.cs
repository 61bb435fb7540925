using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>The reminder retry workflow on its own: which failed rows go back to pending, for whom, and that they are
/// sent again.</summary>
public sealed class ReminderRetryTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string DeadlineMinus7 = "2023-12-24T10:00:00+08:00";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Retry_puts_back_only_the_named_failed_rows_of_the_callers_county_and_they_go_out_again(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7, new Dictionary<string, string?>
        {
            ["Reminders:DispatcherEnabled"] = "false",
            ["Reminders:Concurrency"] = "1",
        });
        await server.PlanForResidentsAsync(2);
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.ErrorCode, 2) { ErrorCode = 43004 });
        var dispatcher = server.Services.GetRequiredService<ReminderDispatcher>();
        await dispatcher.DispatchOnceAsync(CancellationToken.None);
        var outbox = server.Services.GetRequiredService<ReminderOutbox>();
        var failed = await outbox.FailedAsync(null, CancellationToken.None);
        var retry = server.Services.GetRequiredService<ReminderRetry>();

        var otherCounty = await retry.RetryAsync(["another-county"], [], CancellationToken.None);
        var one = await retry.RetryAsync(["pengshui-2024"], [failed[0].Id], CancellationToken.None);
        var round = await dispatcher.DispatchOnceAsync(CancellationToken.None);
        var rest = await retry.RetryAsync(null, [], CancellationToken.None);

        Assert.Equal(2, failed.Count);
        Assert.All(failed, f => Assert.Equal(43004, f.LastErrorCode));
        Assert.Equal(0, otherCounty);
        Assert.Equal(1, one);
        Assert.Equal(1, round.Sent);
        Assert.Equal(1, rest);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE id = {failed[1].Id} AND status = 'pending' AND attempts = 0 AND last_error_code IS NULL"));
        Assert.Empty(await outbox.FailedAsync(null, CancellationToken.None));
    }
}
