using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Reminders;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Broadcasts;

/// <summary>Tag broadcasts: tags WeChatAssist makes and fills itself, and the four mass sends a month counted per
/// follower — followers at the limit get a template message instead, or are left out and counted.</summary>
public sealed class BroadcastTagTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Now = "2023-12-20T10:00:00+08:00";
    private const string Month = "2023-12";
    private const string MassSendAll = "cgi-bin/message/mass/sendall";
    private const string BatchTagging = "cgi-bin/tags/members/batchtagging";
    private const string Short = "{{for tier in tiers}}{{if for.first}}一档{{tier.yuan}}{{end}}{{end}}，{{deadline}}前缴";
    private const string Long = "{{county}}：请于{{deadline}}前缴纳{{year}}年度医保，缴费渠道：{{channels}}。";

    private static readonly Dictionary<string, string?> ManualDispatch = new() { ["Reminders:DispatcherEnabled"] = "false" };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Creating_a_tag_tags_the_audiences_followers_on_WeChat_and_remembers_them(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, ManualDispatch);
        var a = await server.BoundResidentAsync("张三丰");
        var b = await server.BoundResidentAsync("李四光", paidYear: 2024);
        var elsewhere = await server.BoundResidentAsync("王五", village: "别的村");
        using var staff = await server.StaffClientAsync();

        var created = await staff.PostJsonAsync("/api/v1/admin/broadcasts/tags", new { policyId = "pengshui-2024", name = "文家村", audience = new { kind = "village", township = "汉葭街道", village = "文家村" } });
        var listed = await staff.GetJsonAsync("/api/v1/admin/broadcasts/tags?policyId=pengshui-2024");

        Assert.Equal(2, created.GetProperty("tagged").GetInt32());
        Assert.Equal(0, created.GetProperty("notTagged").GetInt32());
        var tagId = created.GetProperty("tag").GetProperty("tagId").GetInt32();
        var tagging = JsonDocument.Parse(Assert.Single(server.CallLog().Calls("cgi-bin/tags/members/batchtagging")).Body!).RootElement;
        Assert.Equal(tagId, tagging.GetProperty("tagid").GetInt32());
        var taggedIds = tagging.GetProperty("openid_list").EnumerateArray().Select(o => o.GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { a.OpenId, b.OpenId }.Order(StringComparer.Ordinal).ToArray(), taggedIds);
        Assert.DoesNotContain(elsewhere.OpenId, taggedIds);
        var tag = Assert.Single(listed.EnumerateArray());
        Assert.Equal((tagId, "文家村", 2L), (tag.GetProperty("tagId").GetInt32(), tag.GetProperty("name").GetString(), tag.GetProperty("members").GetInt64()));
    }

    [Fact]
    public async Task When_WeChat_refuses_a_batch_of_followers_part_way_the_tag_keeps_the_accepted_batches_and_says_how_many_were_left_out()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(true, sqlite, postgres, Now, ManualDispatch);
        await ReminderSeed.BoundResidentsAsync(server, 120);
        server.Faults().Inject(new SimulatorFault(BatchTagging, SimulatorFaultKind.Delay) { DelayMilliseconds = 1 });
        server.Faults().Inject(new SimulatorFault(BatchTagging, SimulatorFaultKind.ErrorCode) { ErrorCode = 45059 });
        using var staff = await server.StaffClientAsync();

        var created = await staff.PostJsonAsync("/api/v1/admin/broadcasts/tags", new { policyId = "pengshui-2024", name = "全体", audience = new { kind = "all" } });

        Assert.Equal((50, 70, 45059), (created.GetProperty("tagged").GetInt32(), created.GetProperty("notTagged").GetInt32(), created.GetProperty("errorCode").GetInt32()));
        Assert.Equal(2, server.CallLog().Calls(BatchTagging).Count);
        Assert.Equal(50, await server.CountAsync("SELECT COUNT(*) FROM broadcast_tag_members"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tag_broadcast_to_followers_under_the_limit_is_one_mass_send_counted_once_for_each_follower(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, ManualDispatch);
        var a = await server.BoundResidentAsync("张三丰");
        var b = await server.BoundResidentAsync("李四光");
        var tagId = await TagAsync(server, "全体");

        var id = await SendAsync(server, tagId, Long);

        var got = await GetAsync(server, id);
        Assert.Equal("sent", got.GetProperty("broadcast").GetProperty("status").GetString());
        Assert.Equal((2, 0, 0), Routes(got));
        var send = JsonDocument.Parse(Assert.Single(server.CallLog().Calls(MassSendAll)).Body!).RootElement;
        Assert.Equal(tagId, send.GetProperty("filter").GetProperty("tag_id").GetInt32());
        Assert.Contains("请于2023年12月31日前缴纳2024年度医保", send.GetProperty("text").GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal((1L, 1L), (await UsedAsync(server, a.OpenId), await UsedAsync(server, b.OpenId)));
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_four_mass_sends_a_follower_gets_the_fifth_broadcast_as_a_template_message_while_the_others_get_the_mass_send(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, ManualDispatch);
        var often = await server.BoundResidentAsync("张三丰", village: "别的村");
        var other = await server.BoundResidentAsync("李四光");
        var small = await TagAsync(server, "别的村", new { kind = "village", township = "汉葭街道", village = "别的村" });
        var everyone = await TagAsync(server, "全体");
        for (var i = 0; i < 4; i++)
        {
            await SendAsync(server, small, Long);
        }

        var fifth = await SendAsync(server, everyone, Short);
        var onlyAtLimit = await SendAsync(server, small, Short);
        await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);

        var got = await GetAsync(server, fifth);
        Assert.Equal("sent", got.GetProperty("broadcast").GetProperty("status").GetString());
        Assert.Equal((1, 1, 0), Routes(got));
        Assert.Equal(1, got.GetProperty("totals").GetProperty("sent").GetInt64());
        Assert.Equal((4L, 1L), (await UsedAsync(server, often.OpenId), await UsedAsync(server, other.OpenId)));

        // A tag whose every follower is at the limit makes no mass send at all.
        var alone = await GetAsync(server, onlyAtLimit);
        Assert.Equal("sent", alone.GetProperty("broadcast").GetProperty("status").GetString());
        Assert.Equal((0, 1, 0), Routes(alone));
        Assert.Equal(5, server.CallLog().Calls(MassSendAll).Count);
        var templates = server.TemplatesTo(often.OpenId);
        Assert.Equal(2, templates.Count);
        Assert.All(templates, t => Assert.Equal("一档380元，2023年12月31日前缴", t.GetProperty("data").GetProperty("thing2").GetProperty("value").GetString()));
        Assert.Empty(server.TemplatesTo(other.OpenId));
    }

    [Fact]
    public async Task A_broadcast_too_long_for_a_template_message_leaves_followers_at_the_limit_out_and_counts_them()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, Now, ManualDispatch);
        var often = await server.BoundResidentAsync("张三丰");
        var other = await server.BoundResidentAsync("李四光");
        var tagId = await TagAsync(server, "全体");
        await SetUsedAsync(server, often.OpenId, 4);

        var id = await SendAsync(server, tagId, Long);

        var got = await GetAsync(server, id);
        Assert.Equal((1, 0, 1), Routes(got));
        Assert.Equal((4L, 1L), (await UsedAsync(server, often.OpenId), await UsedAsync(server, other.OpenId)));
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM broadcast_recipients WHERE broadcast_id = {id} AND route = 'skipped' AND open_id = '{often.OpenId}'"));
    }

    [Fact]
    public async Task A_follower_who_opted_out_of_broadcasts_is_left_out_rather_than_messaged_when_at_the_limit()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, Now, ManualDispatch);
        var optedOut = await server.BoundResidentAsync("张三丰");
        await server.BoundResidentAsync("李四光");
        var tagId = await TagAsync(server, "全体");
        await SetUsedAsync(server, optedOut.OpenId, 4);
        var token = await server.SessionAsync(optedOut.OpenId);
        await server.SendAsync(HttpMethod.Put, "/api/v1/mp/reminder-preferences", token, new { kinds = new Dictionary<string, bool> { ["broadcast"] = false } });

        var id = await SendAsync(server, tagId, Short);

        Assert.Equal((1, 0, 1), Routes(await GetAsync(server, id)));
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_mass_send_WeChat_refuses_fails_with_its_code_and_gives_every_follower_their_send_back(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, ManualDispatch);
        var a = await server.BoundResidentAsync("张三丰");
        var b = await server.BoundResidentAsync("李四光");
        var tagId = await TagAsync(server, "全体");
        await SetUsedAsync(server, a.OpenId, 3);
        server.Faults().Inject(new SimulatorFault(MassSendAll, SimulatorFaultKind.ErrorCode) { ErrorCode = 45028 });

        var id = await SendAsync(server, tagId, Short);

        var got = await GetAsync(server, id);
        Assert.Equal("failed", got.GetProperty("broadcast").GetProperty("status").GetString());
        Assert.Equal(45028, got.GetProperty("broadcast").GetProperty("lastErrorCode").GetInt32());
        Assert.Equal((0, 0, 0), Routes(got));
        Assert.Equal((3L, 0L), (await UsedAsync(server, a.OpenId), await UsedAsync(server, b.OpenId)));
    }

    [Fact]
    public async Task A_transiently_failed_mass_send_is_retried_by_the_job_without_counting_twice_and_cancelling_gives_the_sends_back()
    {
        using var sqlite = new TempSqliteFile();
        var settings = new Dictionary<string, string?>(ManualDispatch) { ["WeChat:ApiMaxAttempts"] = "1" };
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, Now, settings);
        var a = await server.BoundResidentAsync("张三丰");
        var tagId = await TagAsync(server, "全体");
        server.Faults().Inject(new SimulatorFault(MassSendAll, SimulatorFaultKind.ErrorCode, 2) { ErrorCode = -1 });
        var sender = server.Services.GetRequiredService<WeChatAssist.Server.Broadcasts.BroadcastSender>();

        var retried = await SendAsync(server, tagId, Short);
        await sender.SendDueMassAsync(CancellationToken.None);
        var usedWhileFailing = await UsedAsync(server, a.OpenId);
        await sender.SendDueMassAsync(CancellationToken.None);

        Assert.Equal(1L, usedWhileFailing);
        Assert.Equal("sent", (await GetAsync(server, retried)).GetProperty("broadcast").GetProperty("status").GetString());
        Assert.Equal(1L, await UsedAsync(server, a.OpenId));

        server.Faults().Inject(new SimulatorFault(MassSendAll, SimulatorFaultKind.ErrorCode) { ErrorCode = -1 });
        var cancelled = await SendAsync(server, tagId, Short);
        var usedBeforeCancel = await UsedAsync(server, a.OpenId);
        using var staff = await server.StaffClientAsync();
        await staff.PostJsonAsync($"/api/v1/admin/broadcasts/{cancelled}/cancel");

        Assert.Equal((2L, 1L), (usedBeforeCancel, await UsedAsync(server, a.OpenId)));
        Assert.Equal((0, 0, 0), Routes(await GetAsync(server, cancelled)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_tag_broadcast_sent_ahead_of_its_time_goes_out_then_as_one_job_and_a_second_run_of_the_job_sends_nothing(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, ManualDispatch);
        var a = await server.BoundResidentAsync("张三丰");
        var tagId = await TagAsync(server, "全体");

        var id = await SendAsync(server, tagId, Short, DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromSeconds(20));
        var scheduled = Assert.Single(server.Services.ScheduledJobs<WeChatAssist.Server.Broadcasts.BroadcastMassSendJob>(id));
        var callsBeforeItsTime = server.CallLog().Calls(MassSendAll).Count;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (server.CallLog().Calls(MassSendAll).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await server.WaitForCountAsync($"SELECT COUNT(*) FROM broadcasts WHERE id = {id} AND status = 'sent'", 1, 30);
        var job = ActivatorUtilities.CreateInstance<WeChatAssist.Server.Broadcasts.BroadcastMassSendJob>(server.Services);
        await job.RunAsync(id, CancellationToken.None);

        Assert.Equal(0, callsBeforeItsTime);
        // Hangfire files a delayed job under a whole-second score, so it may start up to a second before EnqueueAt.
        Assert.InRange(scheduled.EnqueueAt!.Value, DateTime.UtcNow - TimeSpan.FromSeconds(150), DateTime.UtcNow + TimeSpan.FromSeconds(1));
        Assert.Single(server.CallLog().Calls(MassSendAll));
        Assert.Equal(1L, await UsedAsync(server, a.OpenId));
        Assert.Equal("sent", (await GetAsync(server, id)).GetProperty("broadcast").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_job_of_a_broadcast_cancelled_before_its_time_sends_nothing(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, ManualDispatch);
        var a = await server.BoundResidentAsync("张三丰");
        var tagId = await TagAsync(server, "全体");

        var id = await SendAsync(server, tagId, Short, DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromHours(1));
        var scheduled = Assert.Single(server.Services.ScheduledJobs<WeChatAssist.Server.Broadcasts.BroadcastMassSendJob>(id));
        using (var staff = await server.StaffClientAsync())
        {
            await staff.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/cancel");
        }

        await ActivatorUtilities.CreateInstance<WeChatAssist.Server.Broadcasts.BroadcastMassSendJob>(server.Services).RunAsync(id, CancellationToken.None);

        Assert.InRange(scheduled.EnqueueAt!.Value, DateTime.UtcNow + TimeSpan.FromMinutes(55), DateTime.UtcNow + TimeSpan.FromMinutes(61));
        Assert.Empty(server.CallLog().Calls(MassSendAll));
        Assert.Equal(0L, await UsedAsync(server, a.OpenId));
        Assert.Equal("cancelled", (await GetAsync(server, id)).GetProperty("broadcast").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_scheduled_job_that_meets_a_transient_WeChat_failure_fails_for_Hangfire_to_retry_and_its_retry_sends_once(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        var settings = new Dictionary<string, string?>(ManualDispatch) { ["WeChat:ApiMaxAttempts"] = "1" };
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, settings);
        var a = await server.BoundResidentAsync("张三丰");
        var tagId = await TagAsync(server, "全体");
        var id = await SendAsync(server, tagId, Short, DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture) + TimeSpan.FromHours(1));
        server.Faults().Inject(new SimulatorFault(MassSendAll, SimulatorFaultKind.ErrorCode, 1) { ErrorCode = -1 });
        var job = ActivatorUtilities.CreateInstance<WeChatAssist.Server.Broadcasts.BroadcastMassSendJob>(server.Services);

        await Assert.ThrowsAsync<WeChatAssist.Server.Broadcasts.BroadcastSendDeferredException>(() => job.RunAsync(id, CancellationToken.None));
        var statusWhileFailing = (await GetAsync(server, id)).GetProperty("broadcast").GetProperty("status").GetString();
        await job.RunAsync(id, CancellationToken.None);

        Assert.Equal("sending", statusWhileFailing);
        Assert.Equal("sent", (await GetAsync(server, id)).GetProperty("broadcast").GetProperty("status").GetString());
        Assert.Equal(2, server.CallLog().Calls(MassSendAll).Count);
        Assert.Equal(1L, await UsedAsync(server, a.OpenId));
    }

    [Fact]
    public async Task Two_broadcasts_racing_for_a_followers_fourth_send_give_it_to_exactly_one()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(true, sqlite, postgres, Now, ManualDispatch);
        var a = await server.BoundResidentAsync("张三丰");
        var tagId = await TagAsync(server, "全体");
        await SetUsedAsync(server, a.OpenId, 3);
        var first = await ApprovedAsync(server, tagId, Short);
        var second = await ApprovedAsync(server, tagId, Short);
        using var one = await server.StaffClientAsync();
        using var two = await server.StaffClientAsync();

        await Task.WhenAll(one.PostJsonAsync($"/api/v1/admin/broadcasts/{first}/send"), two.PostJsonAsync($"/api/v1/admin/broadcasts/{second}/send"));

        var routes = new[] { Routes(await GetAsync(server, first)), Routes(await GetAsync(server, second)) };
        Assert.Equal(new[] { (0, 1, 0), (1, 0, 0) }, routes.Order().ToArray());
        Assert.Equal(4L, await UsedAsync(server, a.OpenId));
        Assert.Single(server.CallLog().Calls(MassSendAll));
    }

    [Fact]
    public async Task A_tag_not_created_by_WeChatAssist_is_refused_with_the_reason()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, Now, ManualDispatch);
        using var staff = await server.StaffClientAsync();

        using var response = await staff.PostAsJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "通知", template = Long, audience = new { kind = "tag", tagId = 999 } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("tag 999 was not created by WeChatAssist", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<int> TagAsync(ResidentServer server, string name, object? audience = null)
    {
        using var staff = await server.StaffClientAsync();
        var created = await staff.PostJsonAsync("/api/v1/admin/broadcasts/tags", new { policyId = "pengshui-2024", name, audience = audience ?? new { kind = "all" } });
        return created.GetProperty("tag").GetProperty("tagId").GetInt32();
    }

    private static async Task<long> ApprovedAsync(ResidentServer server, int tagId, string template, DateTimeOffset? sendAt = null)
    {
        using var author = await server.StaffClientAsync();
        var created = await author.PostJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "医保缴费提醒", template, audience = new { kind = "tag", tagId }, sendAt });
        var id = created.GetProperty("broadcast").GetProperty("id").GetInt64();
        using var approver = await server.NewStaffAsync("approver-" + Guid.NewGuid().ToString("N")[..8], StaffRole.Bureau);
        await approver.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/approve");
        return id;
    }

    private static async Task<long> SendAsync(ResidentServer server, int tagId, string template, DateTimeOffset? sendAt = null)
    {
        var id = await ApprovedAsync(server, tagId, template, sendAt);
        using var author = await server.StaffClientAsync();
        await author.PostJsonAsync($"/api/v1/admin/broadcasts/{id}/send");
        return id;
    }

    private static async Task<JsonElement> GetAsync(ResidentServer server, long id)
    {
        using var staff = await server.StaffClientAsync();
        return await staff.GetJsonAsync($"/api/v1/admin/broadcasts/{id}");
    }

    private static (int Mass, int Outbox, int Skipped) Routes(JsonElement broadcast)
    {
        var followers = broadcast.GetProperty("followers");
        return (followers.GetProperty("mass").GetInt32(), followers.GetProperty("outbox").GetInt32(), followers.GetProperty("skipped").GetInt32());
    }

    private static Task<long> UsedAsync(ResidentServer server, string openId) =>
        server.CountAsync($"SELECT COALESCE(SUM(used), 0) FROM broadcast_mass_quota WHERE app_id = '{ResidentServer.AppId}' AND open_id = '{openId}' AND month = '{Month}'");

    private static Task<long> SetUsedAsync(ResidentServer server, string openId, int used) =>
        server.CountAsync($"INSERT INTO broadcast_mass_quota (app_id, open_id, month, used) VALUES ('{ResidentServer.AppId}', '{openId}', '{Month}', {used}) RETURNING used");
}
