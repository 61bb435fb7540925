using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>Dispatch outcomes by WeChat error class, the shared budget, failed-row export and retry, staff requests.</summary>
public sealed class ReminderDispatchTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string DeadlineMinus7 = "2023-12-24T10:00:00+08:00";

    private static readonly Dictionary<string, string?> ManualDispatch = new()
    {
        ["Reminders:DispatcherEnabled"] = "false",
        ["Reminders:Concurrency"] = "1",
    };

    [Fact]
    public async Task Each_error_class_ends_as_designed_transient_retried_refusal_failed_with_code_quota_deferred_to_the_next_quota_day()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, ManualDispatch);
        await server.PlanForResidentsAsync(4);
        server.Faults().InjectOneOfEachErrorClass();
        var dispatcher = server.Services.GetRequiredService<ReminderDispatcher>();

        var first = await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(new DispatchRound(4, 1, 1, 1, 1, 0), first);
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'failed' AND last_error_code = 43101"));
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'pending' AND last_error_code = -1 AND attempts = 1"));

        // 45009: nothing more goes out for the app today, and the deferred row waits for the next quota day's sending hours.
        var nextQuotaDay = new DateTimeOffset(2023, 12, 25, 8, 30, 0, TimeSpan.FromHours(8));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE status = 'deferred' AND last_error_code = 45009 AND send_after = {nextQuotaDay.ToUnixTimeMilliseconds()}"));
        var second = await dispatcher.DispatchOnceAsync(CancellationToken.None);
        Assert.Equal(1, second.Deferred);

        using var admin = await server.StaffClientAsync();
        using var csv = await admin.GetAsync(new Uri("/api/v1/admin/reminders/failed.csv", UriKind.Relative));
        var lines = (await csv.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, lines.Length);
        Assert.Contains(",43101,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_row_retried_by_staff_goes_out_again()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, ManualDispatch);
        var resident = await server.BoundResidentAsync("张三丰");
        using var admin = await server.StaffClientAsync();
        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.ErrorCode) { ErrorCode = 43004 });
        var dispatcher = server.Services.GetRequiredService<ReminderDispatcher>();
        await dispatcher.DispatchOnceAsync(CancellationToken.None);

        var retried = await admin.PostJsonAsync("/api/v1/admin/reminders/retry", new { ids = Array.Empty<long>() });
        var round = await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(1, retried.GetProperty("retried").GetInt32());
        Assert.Equal(1, round.Sent);
        Assert.Single(server.TemplatesTo(resident.OpenId));
    }

    [Fact]
    public async Task Transient_failures_give_up_after_the_configured_attempts_with_the_code()
    {
        using var sqlite = new TempSqliteFile();
        var settings = new Dictionary<string, string?>(ManualDispatch) { ["Reminders:MaxAttempts"] = "2", ["WeChat:ApiMaxAttempts"] = "2" };
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, settings);
        await server.BoundResidentAsync("张三丰");
        using var admin = await server.StaffClientAsync();
        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.HttpStatus, 4) { HttpStatus = 502 });
        var dispatcher = server.Services.GetRequiredService<ReminderDispatcher>();

        var first = await dispatcher.DispatchOnceAsync(CancellationToken.None);
        var second = await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(1, first.Retrying);
        Assert.Equal(1, second.Failed);
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'failed' AND last_error_code = -1 AND attempts = 2"));
    }

    [Fact]
    public async Task The_shared_daily_budget_defers_what_is_over_it_to_the_next_quota_day()
    {
        using var sqlite = new TempSqliteFile();
        var settings = new Dictionary<string, string?>(ManualDispatch) { ["Reminders:DailyBudget"] = "2" };
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, settings);
        await server.PlanForResidentsAsync(3);

        var round = await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);

        Assert.Equal((2, 1), (round.Sent, round.Deferred));
        Assert.Equal(2, await server.CountAsync($"SELECT used FROM send_budgets WHERE app_id = '{ResidentServer.AppId}' AND day = '2023-12-24'"));
    }

    [Fact]
    public async Task A_resident_who_pays_after_planning_is_not_messaged()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, ManualDispatch);
        var resident = await server.BoundResidentAsync("张三丰");
        using var admin = await server.StaffClientAsync();
        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");

        // Paid through a path that bypasses the ledger's participants (a direct registry update): the dispatcher's re-check catches it.
        await Databases.ScalarAsync(server.Services.GetRequiredService<WeChatAssist.Server.Data.DatabaseTarget>(), $"UPDATE residents SET paid_year = 2024 WHERE id = {resident.Id}");
        var round = await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(1, round.Cancelled);
        Assert.Empty(server.TemplatesTo(resident.OpenId));
    }

    [Fact]
    public async Task Staff_requests_queue_owing_residents_in_scope_once_a_day_and_count_the_rest_by_reason()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, ManualDispatch);
        var owing = await server.BoundResidentAsync("张三丰");
        var paid = await server.BoundResidentAsync("李四光", paidYear: 2024);
        var unbound = await server.SeedAsync("王五", TestIds.Next());
        var elsewhere = await server.BoundResidentAsync("赵六", village: "别的村");
        var optedOut = await server.BoundResidentAsync("钱七");
        var token = await server.SessionAsync(optedOut.OpenId);
        await server.SendAsync(HttpMethod.Put, "/api/v1/mp/reminder-preferences", token, new { kinds = new Dictionary<string, bool> { ["manual"] = false } });
        using var cadre = await server.NewStaffAsync("cadre-" + Guid.NewGuid().ToString("N")[..8], StaffRole.Village, "汉葭街道", "文家村");
        long[] ids = [owing.Id, paid.Id, unbound, elsewhere.Id, optedOut.Id, 999_999];

        var first = await cadre.PostJsonAsync("/api/v1/admin/reminders/requests", new { residentIds = ids });
        var again = await cadre.PostJsonAsync("/api/v1/admin/reminders/requests", new { residentIds = ids });
        using var tooMany = await cadre.PostAsync(new Uri("/api/v1/admin/reminders/requests", UriKind.Relative),
            System.Net.Http.Json.JsonContent.Create(new { residentIds = Enumerable.Range(1, 501).Select(i => (long)i) }));

        Assert.Equal(1, first.GetProperty("queued").GetInt32());
        var skipped = first.GetProperty("skipped");
        Assert.Equal(1, skipped.GetProperty("paid").GetInt32());
        Assert.Equal(1, skipped.GetProperty("noWeChatUser").GetInt32());
        Assert.Equal(2, skipped.GetProperty("outOfScope").GetInt32());
        Assert.Equal(1, skipped.GetProperty("optedOut").GetInt32());
        Assert.Equal(0, again.GetProperty("queued").GetInt32());
        Assert.Equal(1, again.GetProperty("skipped").GetProperty("alreadyQueued").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE kind = 'manual' AND resident_id = {owing.Id} AND requested_by LIKE 'cadre-%'"));

        await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);
        var message = server.TemplatesTo(owing.OpenId).Single(m => m.GetProperty("data").GetProperty("thing4").GetProperty("value").GetString() == "村（社区）提醒您尽快缴费");
        Assert.Equal("2023年12月31日", message.GetProperty("data").GetProperty("time2").GetProperty("value").GetString());
    }
}
