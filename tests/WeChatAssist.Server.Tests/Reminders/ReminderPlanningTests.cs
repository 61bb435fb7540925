using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>Planning through the real endpoints and dispatching through the simulator, on both providers: the
/// audience, idempotent re-planning, the rendered message, payment cancelling and receipts, preferences.</summary>
public sealed class ReminderPlanningTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    /// <summary>彭水's window ends on 31 December 2023: seven days before it.</summary>
    private const string DeadlineMinus7 = "2023-12-24T10:00:00+08:00";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Planning_queues_only_bound_owing_residents_who_did_not_opt_out_and_the_dispatcher_sends_the_engines_amounts(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7);
        // The planner's recurring job (every ten minutes) must not plan first when the test runs across a ten-minute
        // mark: the explicit planning below is what is counted.
        server.Services.GetRequiredService<Hangfire.IRecurringJobManager>().RemoveIfExists("reminders-planner");
        var owing = await server.BoundResidentAsync("张三丰");
        var dibao = await server.BoundResidentAsync("李低保", categories: ["dibao"]);
        var paid = await server.BoundResidentAsync("王已缴", paidYear: 2024);
        var unbound = await server.SeedAsync("赵未绑", TestIds.Next());
        var optedOutInApp = await server.BoundResidentAsync("钱退订");
        var optedOutInChat = await server.BoundResidentAsync("孙退订");
        var appToken = await server.SessionAsync(optedOutInApp.OpenId);
        var (status, _, text) = await server.SendAsync(HttpMethod.Put, "/api/v1/mp/reminder-preferences", appToken, new { kinds = new Dictionary<string, bool> { ["deadline"] = false } });
        Assert.True(status == HttpStatusCode.NoContent, text);
        await server.Services.GetRequiredService<IReminderSubscriptions>().SetAsync(ResidentServer.Account, optedOutInChat.OpenId, false, CancellationToken.None);
        using var admin = await server.StaffClientAsync();

        var first = await admin.PostJsonAsync("/api/v1/admin/reminders/plan");
        var again = await admin.PostJsonAsync("/api/v1/admin/reminders/plan");

        var deadline7 = first.EnumerateArray().Single(p => p.GetProperty("policyId").GetString() == "pengshui-2024" && p.GetProperty("ruleId").GetString() == "deadline-7d");
        Assert.Equal(2, deadline7.GetProperty("queued").GetInt32());
        Assert.All(again.EnumerateArray(), p => Assert.Equal(0, p.GetProperty("queued").GetInt32()));
        Assert.Equal(2, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {owing.Id} AND dedupe_key = 'pengshui-2024:deadline-7d:{owing.Id}:2023-12-31:template'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id IN ({paid.Id}, {unbound}, {optedOutInApp.Id}, {optedOutInChat.Id})"));

        await server.WaitForCountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent' AND msgid IS NOT NULL", 2);
        var message = Assert.Single(server.TemplatesTo(owing.OpenId));
        var data = message.GetProperty("data");
        Assert.Equal("2023年12月31日", data.GetProperty("time2").GetProperty("value").GetString());
        Assert.Equal("1档380元/2档755元", data.GetProperty("thing3").GetProperty("value").GetString());
        Assert.Equal("7 天后截止，请尽快缴费", data.GetProperty("thing4").GetProperty("value").GetString());
        var dibaoMessage = Assert.Single(server.TemplatesTo(dibao.OpenId));
        Assert.Equal("1档38元/2档375元", dibaoMessage.GetProperty("data").GetProperty("thing3").GetProperty("value").GetString());

        var summary = await admin.GetJsonAsync("/api/v1/admin/reminders/summary");
        var sent = Assert.Single(summary.EnumerateArray());
        Assert.Equal(("deadline", "sent", 2L), (sent.GetProperty("kind").GetString(), sent.GetProperty("status").GetString(), sent.GetProperty("count").GetInt64()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_resident_bound_by_two_WeChat_users_is_reminded_once_through_the_first_binding(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7, new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        var idNumber = TestIds.Next();
        var resident = await server.SeedAsync("张三丰", idNumber);
        var householdHead = TestIds.OpenId();
        var self = TestIds.OpenId();
        var (headStatus, _, headText) = await server.BindAsync(await server.SessionAsync(householdHead), "张三丰", idNumber, "family");
        Assert.True(headStatus == HttpStatusCode.Created, headText);
        var (selfStatus, _, selfText) = await server.BindAsync(await server.SessionAsync(self), "张三丰", idNumber);
        Assert.True(selfStatus == HttpStatusCode.Created, selfText);
        var other = await server.BoundResidentAsync("李四光");
        using var admin = await server.StaffClientAsync();

        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");

        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {resident}"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {resident} AND open_id = '{householdHead}'"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {other.Id} AND open_id = '{other.OpenId}'"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Recording_a_payment_cancels_pending_reminders_and_queues_a_receipt_but_last_years_enrolment_does_not(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DeadlineMinus7, new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        var payer = await server.BoundResidentAsync("张三丰");
        var enrolledLastYear = await server.BoundResidentAsync("李四光");
        using var admin = await server.StaffClientAsync();
        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");
        var ledger = server.Services.GetRequiredService<PaymentLedger>();

        await ledger.RecordAsync([new PaymentRecord(payer.Id, 2024, new DateOnly(2023, 12, 24), 38000)], "tax-file", CancellationToken.None);
        await ledger.RecordAsync([new PaymentRecord(enrolledLastYear.Id, 2023, new DateOnly(2022, 12, 1))], "enrollment", CancellationToken.None);

        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {payer.Id} AND kind = 'deadline' AND status = 'cancelled'"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {payer.Id} AND kind = 'receipt' AND status = 'pending'"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {enrolledLastYear.Id} AND kind = 'deadline' AND status = 'pending'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {enrolledLastYear.Id} AND kind = 'receipt'"));

        var dispatcher = server.Services.GetRequiredService<ReminderDispatcher>();
        var round = await dispatcher.DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(2, round.Sent);
        var receipt = Assert.Single(server.TemplatesTo(payer.OpenId));
        Assert.Equal("已收到您2024年度的缴费", receipt.GetProperty("data").GetProperty("thing1").GetProperty("value").GetString());
        Assert.Equal("2023年12月24日", receipt.GetProperty("data").GetProperty("time2").GetProperty("value").GetString());
    }

    [Fact]
    public async Task A_late_payment_receipt_names_the_day_the_waiting_period_ends()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, "2024-03-16T10:00:00+08:00", new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        var payer = await server.BoundResidentAsync("张三丰");

        await server.Services.GetRequiredService<PaymentLedger>().RecordAsync([new PaymentRecord(payer.Id, 2024, new DateOnly(2024, 3, 15))], "tax-file", CancellationToken.None);
        await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);

        // 90 days counted from the day after 15 March: cover from 14 June (the example).
        var receipt = Assert.Single(server.TemplatesTo(payer.OpenId));
        Assert.Equal("待遇自2024年6月14日起生效", receipt.GetProperty("data").GetProperty("thing3").GetProperty("value").GetString());
    }

    [Fact]
    public async Task The_day_before_a_waiting_period_ends_the_payer_is_told_when_cover_starts()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, "2024-06-13T10:00:00+08:00", new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        var payer = await server.BoundResidentAsync("张三丰");
        var owing = await server.BoundResidentAsync("李四光");
        await server.Services.GetRequiredService<PaymentLedger>().RecordAsync([new PaymentRecord(payer.Id, 2024, new DateOnly(2024, 3, 15))], "tax-file", CancellationToken.None);
        using var admin = await server.StaffClientAsync();

        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");

        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {payer.Id} AND kind = 'waiting-end' AND dedupe_key LIKE '%:2024-06-14:template'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {owing.Id} AND kind = 'waiting-end'"));
        await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);
        Assert.Equal(2, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {payer.Id} AND status = 'sent'"));
        var message = server.TemplatesTo(payer.OpenId).Single(m => m.GetProperty("template_id").GetString() == "reminder-benefit");
        // The wording less "您的": a thing keyword holds at most 20 characters (47003 otherwise).
        Assert.Equal("医保待遇将于2024年6月14日起生效", message.GetProperty("data").GetProperty("thing3").GetProperty("value").GetString());
    }

    [Fact]
    public async Task Opting_back_in_through_the_mini_program_restores_the_kind_and_unknown_kinds_are_refused()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        var resident = await server.BoundResidentAsync("张三丰");
        var token = await server.SessionAsync(resident.OpenId);

        await server.SendAsync(HttpMethod.Put, "/api/v1/mp/reminder-preferences", token, new { kinds = new Dictionary<string, bool> { ["deadline"] = false, ["receipt"] = false } });
        await server.SendAsync(HttpMethod.Put, "/api/v1/mp/reminder-preferences", token, new { kinds = new Dictionary<string, bool> { ["deadline"] = true } });
        var (_, read, _) = await server.SendAsync(HttpMethod.Get, "/api/v1/mp/reminder-preferences", token, null);
        var (unknownStatus, unknown, _) = await server.SendAsync(HttpMethod.Put, "/api/v1/mp/reminder-preferences", token, new { kinds = new Dictionary<string, bool> { ["lottery"] = true } });
        var (anonymous, _, _) = await server.SendAsync(HttpMethod.Put, "/api/v1/mp/reminder-preferences", null, new { kinds = new Dictionary<string, bool> { ["deadline"] = true } });
        using var admin = await server.StaffClientAsync();
        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");

        Assert.True(read.GetProperty("deadline").GetBoolean());
        Assert.False(read.GetProperty("receipt").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.Equal("kindUnknown", unknown.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {resident.Id} AND kind = 'deadline'"));
    }

    [Fact]
    public async Task The_rules_endpoint_lists_the_policys_rules_with_dates_and_refuses_an_unknown_policy()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        using var admin = await server.StaffClientAsync();

        var rules = await admin.GetJsonAsync("/api/v1/admin/reminders/rules?policyId=wenxi-2024");
        using var unknown = await admin.GetAsync(new Uri("/api/v1/admin/reminders/rules?policyId=nowhere-2024", UriKind.Relative));
        using var anonymous = await server.Client.GetAsync(new Uri("/api/v1/admin/reminders/rules?policyId=wenxi-2024", UriKind.Relative));

        var stop = rules.EnumerateArray().First(r => r.GetProperty("kind").GetString() == "monthly-stop");
        Assert.Equal("2023-09-25", stop.GetProperty("dueDate").GetString());
        Assert.Contains(rules.EnumerateArray(), r => r.GetProperty("id").GetString() == "deadline-7d" && r.GetProperty("sendOn").GetString() == "2023-12-18");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Offsets_configured_for_one_county_change_only_that_countys_rules()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, DeadlineMinus7, new Dictionary<string, string?>
        {
            ["Reminders:DispatcherEnabled"] = "false",
            ["Reminders:Counties:pengshui-2024:DeadlineOffsetDays:0"] = "10",
            ["Reminders:Counties:pengshui-2024:DeadlineOffsetDays:1"] = "2",
            ["Reminders:MonthlyStopOffsetDays:0"] = "5",
        });
        using var admin = await server.StaffClientAsync();

        var pengshui = await admin.GetJsonAsync("/api/v1/admin/reminders/rules?policyId=pengshui-2024");
        var wenxi = await admin.GetJsonAsync("/api/v1/admin/reminders/rules?policyId=wenxi-2024");

        string[] Ids(System.Text.Json.JsonElement rules, string kind) =>
            [.. rules.EnumerateArray().Where(r => r.GetProperty("kind").GetString() == kind).Select(r => r.GetProperty("id").GetString()!)];
        Assert.Equal(["deadline-10d", "deadline-2d"], Ids(pengshui, "deadline"));
        Assert.Equal(["deadline-7d", "deadline-3d", "deadline-1d"], Ids(wenxi, "deadline"));
        Assert.All(Ids(wenxi, "monthly-stop"), id => Assert.EndsWith("-5d", id, StringComparison.Ordinal));
    }
}
