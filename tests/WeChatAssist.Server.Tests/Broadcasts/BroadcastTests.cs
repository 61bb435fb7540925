using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Reminders;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Broadcasts;

/// <summary>Bureau broadcasts through the real endpoints: compose, preview, four-eyes approval, audience, sending
/// through the outbox, cancelling, delivery status (tag broadcasts: <see cref="BroadcastTagTests"/>).</summary>
public sealed class BroadcastTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Now = "2023-12-20T10:00:00+08:00";
    // Rendered per resident into a template message's thing keyword: at most 20 characters.
    private const string Template = "{{for tier in tiers}}{{if for.first}}一档{{tier.yuan}}{{end}}{{end}}，{{deadline}}前缴";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_village_broadcast_approved_by_a_second_bureau_member_reaches_that_villages_residents_with_delivery_status(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now);
        var inVillage = await server.BoundResidentAsync("张三丰");
        var paidInVillage = await server.BoundResidentAsync("李四光", paidYear: 2024);
        var elsewhere = await server.BoundResidentAsync("王五", village: "别的村");
        using var author = await server.StaffClientAsync();
        using var approver = await server.NewStaffAsync("approver-" + Guid.NewGuid().ToString("N")[..8], StaffRole.Bureau);

        var created = await author.PostJsonAsync("/api/v1/admin/broadcasts", new
        {
            policyId = "pengshui-2024",
            title = "医保缴费提醒",
            template = Template,
            audience = new { kind = "village", township = "汉葭街道", village = "文家村" },
        });
        var id = created.GetProperty("broadcast").GetProperty("id").GetInt64();
        var preview = await author.GetJsonAsync($"/api/v1/admin/broadcasts/{id}/preview?residentId={inVillage.Id}");
        using var selfApproval = await author.PostAsync(new Uri($"/api/v1/admin/broadcasts/{id}/approve", UriKind.Relative), null);
        using var unapprovedSend = await author.PostAsync(new Uri($"/api/v1/admin/broadcasts/{id}/send", UriKind.Relative), null);
        await approver.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/approve");
        var queued = await author.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/send");

        Assert.Equal("一档380元，2023年12月31日前缴", preview.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, selfApproval.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, unapprovedSend.StatusCode);
        Assert.Equal(2, queued.GetProperty("queued").GetInt32());
        Assert.Equal("sending", queued.GetProperty("status").GetString());
        await server.WaitForCountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE broadcast_id = {id} AND status = 'sent'", 2);
        var message = Assert.Single(server.TemplatesTo(inVillage.OpenId));
        Assert.Equal("bureau-notice", message.GetProperty("template_id").GetString());
        Assert.Equal("一档380元，2023年12月31日前缴", message.GetProperty("data").GetProperty("thing2").GetProperty("value").GetString());
        Assert.Single(server.TemplatesTo(paidInVillage.OpenId));
        Assert.Empty(server.TemplatesTo(elsewhere.OpenId));
        var got = await author.GetJsonAsync($"/api/v1/admin/broadcasts/{id}");
        Assert.Equal(2, got.GetProperty("totals").GetProperty("sent").GetInt64());
        Assert.All(got.GetProperty("messages").EnumerateArray(), m => Assert.True(m.GetProperty("msgId").GetInt64() > 0));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE action = 'broadcasts.preview' AND resident_id = {inVillage.Id}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_list_shows_a_countys_broadcasts_newest_first_and_refuses_an_unknown_county(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        using var author = await server.StaffClientAsync();
        var first = await author.PostJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "第一次提醒", template = Template, audience = new { kind = "all" } });
        var second = await author.PostJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "第二次提醒", template = Template, audience = new { kind = "all" } });
        await author.PostJsonAsync("/api/v1/admin/broadcasts", new { policyId = "wenxi-2024", title = "闻喜提醒", template = Template, audience = new { kind = "all" } });

        var pengshui = await author.GetJsonAsync("/api/v1/admin/broadcasts?policyId=pengshui-2024");
        var all = await author.GetJsonAsync("/api/v1/admin/broadcasts");
        using var unknown = await author.GetAsync(new Uri("/api/v1/admin/broadcasts?policyId=nowhere-2024", UriKind.Relative));

        Assert.Equal(
            [second.GetProperty("broadcast").GetProperty("id").GetInt64(), first.GetProperty("broadcast").GetProperty("id").GetInt64()],
            pengshui.EnumerateArray().Select(b => b.GetProperty("id").GetInt64()));
        Assert.Equal(["第二次提醒", "第一次提醒"], pengshui.EnumerateArray().Select(b => b.GetProperty("title").GetString()));
        Assert.Equal(3, all.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task An_unpaid_only_broadcast_skips_payers_and_residents_who_opted_out_of_broadcasts()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, Now, new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        var owing = await server.BoundResidentAsync("张三丰");
        var paid = await server.BoundResidentAsync("李四光", paidYear: 2024);
        var optedOut = await server.BoundResidentAsync("王五");
        var token = await server.SessionAsync(optedOut.OpenId);
        await server.SendAsync(HttpMethod.Put, "/api/v1/mp/reminder-preferences", token, new { kinds = new Dictionary<string, bool> { ["broadcast"] = false } });
        var id = await ApprovedAsync(server, new { kind = "unpaid" }, null);
        using var author = await server.StaffClientAsync();

        var queued = await author.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/send");

        Assert.Equal(1, queued.GetProperty("queued").GetInt32());
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE broadcast_id = {id} AND resident_id = {owing.Id}"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE broadcast_id = {id} AND resident_id IN ({paid.Id}, {optedOut.Id})"));
    }

    [Fact]
    public async Task A_scheduled_broadcast_can_be_cancelled_before_it_goes_out_and_nothing_is_sent()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, Now);
        var resident = await server.BoundResidentAsync("张三丰");
        var id = await ApprovedAsync(server, new { kind = "all" }, DateTimeOffset.Parse("2023-12-21T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture));
        using var author = await server.StaffClientAsync();
        await author.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/send");

        var cancelled = await author.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/cancel");
        using var again = await author.PostAsync(new Uri($"/api/v1/admin/broadcasts/{id}/send", UriKind.Relative), null);
        await Task.Delay(300);

        Assert.Equal("cancelled", cancelled.GetProperty("broadcast").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE broadcast_id = {id} AND status = 'cancelled'"));
        Assert.Empty(server.TemplatesTo(resident.OpenId));
    }

    [Fact]
    public async Task A_template_too_long_for_a_template_message_or_that_does_not_compile_is_refused()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, Now, new Dictionary<string, string?> { ["Reminders:DispatcherEnabled"] = "false" });
        using var author = await server.StaffClientAsync();

        using var tooLong = await author.PostAsJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "通知", template = new string('字', 21), audience = new { kind = "all" } });
        using var broken = await author.PostAsJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "通知", template = "{{for tier in tiers}}", audience = new { kind = "all" } });
        using var noTownship = await author.PostAsJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "通知", template = "请缴费", audience = new { kind = "township" } });

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noTownship.StatusCode);
    }

    private static async Task<long> ApprovedAsync(ResidentServer server, object audience, DateTimeOffset? sendAt, string template = Template)
    {
        using var author = await server.StaffClientAsync();
        var created = await author.PostJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "医保缴费提醒", template, audience, sendAt });
        var id = created.GetProperty("broadcast").GetProperty("id").GetInt64();
        using var approver = await server.NewStaffAsync("approver-" + Guid.NewGuid().ToString("N")[..8], StaffRole.Bureau);
        await approver.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/approve");
        return id;
    }
}
