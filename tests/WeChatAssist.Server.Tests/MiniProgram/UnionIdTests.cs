using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Corrections;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Security;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.MiniProgram;

/// <summary>One resident across 彭水's official account and its mini-program, through the real webhook, mini-program
/// push and API over Kestrel, with the in-process simulator playing WeChat (both apps bound to one open platform unless a test
/// says otherwise).</summary>
public sealed class UnionIdTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string MiniAccount = "pengshui-mp";
    private const string MiniAppId = "wx00000000000000a3";
    private const string MiniDeadlineTemplate = "mp-tpl-deadline";
    private const string MiniCorrectionTemplate = "mp-tpl-correction";
    private const string OfficialCorrectionTemplate = "oa-tpl-correction";
    private const string OfficialCorrectionSubscribeTemplate = "oa-sub-correction";

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_resident_who_bound_self_and_spouse_in_the_mini_program_asks_the_official_account_about_the_household_and_gets_both(string provider)
    {
        await using var server = await StartAsync(provider, ResidentServer.BusinessNow, openPlatform: true);
        var (miniOpenId, officialOpenId) = (TestIds.OpenId(), "oOa" + Guid.NewGuid().ToString("N")[..20]);
        await SamePersonAsync(server, miniOpenId, officialOpenId);
        var self = TestIds.Next(birth: "19700301");
        var spouse = TestIds.Next(birth: "19720615");
        await server.SeedAsync("蒋大明", self, categories: ["dibao"]);
        await server.SeedAsync("李小红", spouse, paidYear: 2024);

        var token = await server.SessionAsync(miniOpenId, MiniAccount, MiniAppId);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, "蒋大明", self)).Status);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, "李小红", spouse, relation: "family")).Status);

        var reply = await AskOfficialAccountAsync(server, officialOpenId, "我家交了没有");

        Assert.Contains("蒋**，还没有查到您2024年度的交费记录", reply, StringComparison.Ordinal);
        Assert.Contains("李**，您已于2023年10月20日交费", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("蒋大明", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("李小红", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("data-miniprogram-appid", reply, StringComparison.Ordinal);

        // The follower's unionid was fetched on the first message and kept; it equals the binding's.
        Assert.Equal(1, await server.CountAsync(
            $"SELECT COUNT(*) FROM wechat_followers f JOIN resident_bindings b ON b.union_id = f.union_id WHERE f.open_id = '{officialOpenId}' AND b.open_id = '{miniOpenId}' AND b.relation = 'self'"));
        var userInfo = server.Services.GetRequiredService<SimulatorCallLog>().Calls("cgi-bin/user/info");
        Assert.Single(userInfo, c => c.Query.Contains(officialOpenId, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Without_a_unionid_the_chatbot_offers_the_mini_programs_binding_page_instead_of_guessing(string provider)
    {
        // The two apps are not under one open platform: WeChat gives no unionid, so the follower cannot be connected.
        await using var server = await StartAsync(provider, ResidentServer.BusinessNow, openPlatform: false);
        var (miniOpenId, officialOpenId) = (TestIds.OpenId(), "oOa" + Guid.NewGuid().ToString("N")[..20]);
        await SamePersonAsync(server, miniOpenId, officialOpenId);
        var self = TestIds.Next(birth: "19660909");
        await server.SeedAsync("王五", self, paidYear: 2024);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(await server.SessionAsync(miniOpenId, MiniAccount, MiniAppId), "王五", self)).Status);

        var reply = await AskOfficialAccountAsync(server, officialOpenId, "我家交了没有");

        Assert.Contains("还没有绑定参保人", reply, StringComparison.Ordinal);
        Assert.Contains($"data-miniprogram-appid=\"{MiniAppId}\"", reply, StringComparison.Ordinal);
        Assert.Contains("data-miniprogram-path=\"pages/bind/index\"", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("王*", reply, StringComparison.Ordinal);
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM wechat_followers WHERE open_id = '{officialOpenId}' AND union_id IS NOT NULL"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_mini_program_only_resident_who_accepted_the_deadline_template_there_gets_the_deadline_reminder_through_it_once(string provider)
    {
        // 24 December: seven days before 彭水's last day (31 December), when the deadline-7d reminder is due.
        await using var server = await StartAsync(provider, "2023-12-24T10:00:00+08:00", openPlatform: true);
        var miniOpenId = TestIds.OpenId();
        var id = TestIds.Next(birth: "19580220");
        await server.SeedAsync("周九", id);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(await server.SessionAsync(miniOpenId, MiniAccount, MiniAppId), "周九", id)).Status);

        // The resident accepts the template in the mini-program: WeChat pushes the popup event (JSON, safe mode).
        await PostAsync(server, $"/wechat-sim/_simulator/consents?appid={MiniAppId}&openid={miniOpenId}&template={MiniDeadlineTemplate}");
        var mini = Account(server, MiniAccount);
        var popup = WeChatPushSimulator.MiniProgramSubscribePopup("gh_mp", miniOpenId, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), (MiniDeadlineTemplate, "accept"));
        var pushed = await new WeChatPushSimulator(server.Client).PushJsonAsync(new Uri(server.Client.BaseAddress!, "/wechat-mp/" + MiniAccount), mini, popup, encrypt: true, CancellationToken.None);
        Assert.Equal((200, "success"), pushed);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM subscribe_consents WHERE app_id = '{MiniAppId}' AND open_id = '{miniOpenId}' AND template_id = '{MiniDeadlineTemplate}' AND remaining = 1"));

        var planner = server.Services.GetRequiredService<ReminderPlanner>();
        await planner.PlanAsync(CancellationToken.None);

        var log = server.Services.GetRequiredService<SimulatorCallLog>();
        var sent = await log.WaitForAsync(c => c.Endpoint == "cgi-bin/message/subscribe/send" && c.ErrorCode == 0 && (c.Body ?? "").Contains(miniOpenId, StringComparison.Ordinal), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(MiniAppId, sent.AppId);
        Assert.Contains(MiniDeadlineTemplate, sent.Body, StringComparison.Ordinal);

        // Planning again (every ten minutes in production) queues nothing more, and nothing else goes to the person.
        await planner.PlanAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(log.Outbox(miniOpenId));
        Assert.Equal(1, await EventuallyCountAsync(server, $"SELECT COUNT(*) FROM reminder_outbox WHERE open_id = '{miniOpenId}' AND kind = 'deadline' AND channel = 'subscribe' AND app_id = '{MiniAppId}' AND status = 'sent'"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox o JOIN resident_bindings b ON b.resident_id = o.resident_id WHERE b.open_id = '{miniOpenId}'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM subscribe_consents WHERE open_id = '{miniOpenId}' AND remaining > 0"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_refused_mini_program_message_is_recorded_for_that_channel_and_the_reminder_goes_to_the_official_account_follower_instead(string provider)
    {
        await using var server = await StartAsync(provider, "2023-12-24T10:00:00+08:00", openPlatform: true);
        var (miniOpenId, officialOpenId) = (TestIds.OpenId(), "oOa" + Guid.NewGuid().ToString("N")[..20]);
        await SamePersonAsync(server, miniOpenId, officialOpenId);
        var id = TestIds.Next(birth: "19610707");
        await server.SeedAsync("吴十", id);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(await server.SessionAsync(miniOpenId, MiniAccount, MiniAppId), "吴十", id)).Status);

        // Our consent count says yes, but WeChat says the person turned the template off (43101); the person also
        // follows the official account, whose unionid we learn when they subscribe.
        await PostAsync(server, $"/wechat-sim/_simulator/consents?appid={MiniAppId}&openid=nobody&template={MiniDeadlineTemplate}");
        var mini = Account(server, MiniAccount);
        var popup = WeChatPushSimulator.MiniProgramSubscribePopup("gh_mp", miniOpenId, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), (MiniDeadlineTemplate, "accept"));
        await new WeChatPushSimulator(server.Client).PushJsonAsync(new Uri(server.Client.BaseAddress!, "/wechat-mp/" + MiniAccount), mini, popup, encrypt: true, CancellationToken.None);
        var subscribe = WeChatPushSimulator.Event("gh_pengshui", officialOpenId, "subscribe", "", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(200, (await new WeChatPushSimulator(server.Client).PushAsync(new Uri(server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), Account(server, ResidentServer.Account), subscribe, encrypt: true, CancellationToken.None)).StatusCode);

        await server.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None);

        var log = server.Services.GetRequiredService<SimulatorCallLog>();
        var template = await log.WaitForAsync(c => c.Endpoint == "cgi-bin/message/template/send" && c.ErrorCode == 0 && (c.Body ?? "").Contains(officialOpenId, StringComparison.Ordinal), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(ResidentServer.AppId, template.AppId);
        Assert.Single(log.Calls("cgi-bin/message/subscribe/send"), c => c.ErrorCode == 43101);
        // The outcome is recorded once the dispatcher's chunk is done.
        Assert.Equal(1, await EventuallyCountAsync(server, $"SELECT COUNT(*) FROM reminder_channel_failures f JOIN reminder_outbox o ON o.id = f.outbox_id WHERE f.app_id = '{MiniAppId}' AND f.channel = 'subscribe' AND f.error_code = 43101 AND o.open_id = '{officialOpenId}' AND o.channel = 'template' AND o.status = 'sent'"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox o JOIN resident_bindings b ON b.resident_id = o.resident_id WHERE b.open_id = '{miniOpenId}'"));
    }

    [Fact]
    public async Task A_backfill_stores_existing_followers_unionids_through_batchget_in_calls_of_100()
    {
        await using var server = await StartAsync(DatabaseProvider.Sqlite, ResidentServer.BusinessNow, openPlatform: true);
        var openIds = Enumerable.Range(0, 150).Select(i => "oBackfill" + i.ToString("000", CultureInfo.InvariantCulture)).ToList();
        await PostAsync(server, $"/wechat-sim/_simulator/users?appid={ResidentServer.AppId}&openid=oBackfill007&following=false");

        var (stored, withUnion) = await server.Services.GetRequiredService<WeChatAssist.Server.MiniProgram.FollowerIdentities>()
            .BackfillAsync(ResidentServer.Account, openIds, CancellationToken.None);

        Assert.Equal((150, 149), (stored, withUnion));
        Assert.Equal(2, server.Services.GetRequiredService<SimulatorCallLog>().Calls("cgi-bin/user/info/batchget").Count);
        Assert.Equal(149, await server.CountAsync("SELECT COUNT(*) FROM wechat_followers WHERE open_id LIKE 'oBackfill%' AND union_id IS NOT NULL"));
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM wechat_followers WHERE open_id = 'oBackfill007' AND union_id IS NULL AND subscribed = 0"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Broken_JSON_bad_signatures_and_stale_timestamps_on_the_mini_program_push_are_4xx(string provider)
    {
        await using var server = await StartAsync(provider, ResidentServer.BusinessNow, openPlatform: true);
        var mini = Account(server, MiniAccount);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var stale = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 900).ToString(CultureInfo.InvariantCulture);
        using var cipher = new SafeModeCipher(mini.EncodingAESKey, mini.AppId);
        var broken = cipher.Encrypt("{\"ToUserName\":\"gh\",\"FromUserName\":");
        string Body(string encrypt) => $"{{\"ToUserName\":\"gh_mp\",\"Encrypt\":\"{encrypt}\"}}";
        string Query(string ts, string encrypt, string? msgSignature = null) =>
            $"/wechat-mp/{MiniAccount}?signature={Signatures.ComputeUrlSignature(mini.Token, ts, "1")}&timestamp={ts}&nonce=1&encrypt_type=aes&msg_signature={msgSignature ?? Signatures.ComputeMessageSignature(mini.Token, ts, "1", encrypt)}";

        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(server, Query(now, broken), Body(broken)));
        Assert.Equal(HttpStatusCode.BadRequest, await PostAsync(server, Query(now, "x"), "{\"Encrypt\":"));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(server, Query(now, broken, new string('f', 40)), Body(broken)));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(server, Query(stale, broken), Body(broken)));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_household_question_pushed_as_JSON_in_safe_mode_is_answered_by_the_chatbot_through_the_mini_programs_customer_service(string provider)
    {
        await using var server = await StartAsync(provider, ResidentServer.BusinessNow, openPlatform: true);
        var miniOpenId = TestIds.OpenId();
        var self = TestIds.Next(birth: "19750505");
        var spouse = TestIds.Next(birth: "19770707");
        await server.SeedAsync("赵一", self);
        await server.SeedAsync("钱二", spouse, paidYear: 2024);
        var token = await server.SessionAsync(miniOpenId, MiniAccount, MiniAppId);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, "赵一", self)).Status);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, "钱二", spouse, relation: "family")).Status);

        var text = WeChatPushSimulator.MiniProgramText("gh_mp", miniOpenId, "我家交了没有", Random.Shared.NextInt64(1, long.MaxValue / 2), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var pushed = await new WeChatPushSimulator(server.Client).PushJsonAsync(new Uri(server.Client.BaseAddress!, "/wechat-mp/" + MiniAccount), Account(server, MiniAccount), text, encrypt: true, CancellationToken.None);

        // A mini-program gets no passive reply: "success" at once, the answer through customer service.
        Assert.Equal((200, "success"), pushed);
        var log = server.Services.GetRequiredService<SimulatorCallLog>();
        var answer = await log.WaitForAsync(c => c.Endpoint == "cgi-bin/message/custom/send" && c.ErrorCode == 0 && (c.Body ?? "").Contains(miniOpenId, StringComparison.Ordinal), TimeSpan.FromSeconds(60), CancellationToken.None);
        Assert.Equal(MiniAppId, answer.AppId);
        var content = System.Text.Json.JsonDocument.Parse(answer.Body!).RootElement.GetProperty("text").GetProperty("content").GetString();
        Assert.Contains("赵*", content, StringComparison.Ordinal);
        Assert.Contains("钱*，您已于", content, StringComparison.Ordinal);
        Assert.DoesNotContain("赵一", content, StringComparison.Ordinal);
        Assert.DoesNotContain("钱二", content, StringComparison.Ordinal);
        Assert.Single(log.Outbox(miniOpenId));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_correction_outcome_goes_through_the_mini_program_with_a_consent_there_and_else_once_to_the_official_account_follower(string provider)
    {
        await using var server = await StartAsync(provider, ResidentServer.BusinessNow, openPlatform: true, new Dictionary<string, string?>
        {
            ["Corrections:ResultMessage:TemplateId"] = MiniCorrectionTemplate,
            ["Corrections:ResultMessage:OfficialTemplateId"] = OfficialCorrectionTemplate,
            ["Corrections:ResultMessage:OfficialSubscribeTemplateId"] = OfficialCorrectionSubscribeTemplate,
        });
        using var admin = await StaffSession.SignInAsync(server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var log = server.Services.GetRequiredService<SimulatorCallLog>();

        // Both people follow the official account too. The first accepted the outcome template in the mini-program;
        // the second did not, so WeChat answers the mini-program's subscribeMessage.send with 43101.
        var consented = await FollowerWithMiniProgramBindingAsync(server, "孙三");
        var refused = await FollowerWithMiniProgramBindingAsync(server, "周四");
        await PostAsync(server, $"/wechat-sim/_simulator/consents?appid={MiniAppId}&openid={consented.MiniOpenId}&template={MiniCorrectionTemplate}");
        var first = await SubmitCorrectionAsync(server, consented.Token, consented.ResidentId);
        var second = await SubmitCorrectionAsync(server, refused.Token, refused.ResidentId);

        // A third refused in the mini-program too, but accepted the outcome template on the official account.
        var officialConsent = await FollowerWithMiniProgramBindingAsync(server, "吴六");
        var popup = WeChatPushSimulator.Event("gh_pengshui", officialConsent.OfficialOpenId, "subscribe_msg_popup_event", null, DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            .Replace("</xml>", $"<SubscribeMsgPopupEvent><List><TemplateId>{OfficialCorrectionSubscribeTemplate}</TemplateId><SubscribeStatusString>accept</SubscribeStatusString><PopupScene>0</PopupScene></List></SubscribeMsgPopupEvent></xml>", StringComparison.Ordinal);
        Assert.Equal(200, (await new WeChatPushSimulator(server.Client).PushAsync(new Uri(server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), Account(server, ResidentServer.Account), popup, encrypt: true, CancellationToken.None)).StatusCode);
        var third = await SubmitCorrectionAsync(server, officialConsent.Token, officialConsent.ResidentId);

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{first}/approve");
        var rejected = await admin.PostAsync($"/api/v1/admin/corrections/{second}/reject", new { reason = "户口本页不清晰" });
        var approvedThird = await admin.PostAsync($"/api/v1/admin/corrections/{third}/approve");

        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("sent", approved.Body.GetProperty("notifyStatus").GetString());
        Assert.Equal(HttpStatusCode.OK, rejected.Status);
        Assert.Equal("sent", rejected.Body.GetProperty("notifyStatus").GetString());
        Assert.Equal("sent", approvedThird.Body.GetProperty("notifyStatus").GetString());

        // The third: the official account's subscribe message, its consent used, no template message.
        var bizsend = Assert.Single(log.Outbox(officialConsent.OfficialOpenId));
        Assert.Equal(("cgi-bin/message/subscribe/bizsend", ResidentServer.AppId), (bizsend.Endpoint, bizsend.AppId));
        Assert.Contains(OfficialCorrectionSubscribeTemplate, bizsend.Body, StringComparison.Ordinal);
        Assert.Empty(log.Outbox(officialConsent.MiniOpenId));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM subscribe_consents WHERE open_id = '{officialConsent.OfficialOpenId}' AND remaining > 0"));

        // The consenting resident: one mini-program subscribe message, nothing on the official account.
        var mini = Assert.Single(log.Outbox(consented.MiniOpenId));
        Assert.Equal(("cgi-bin/message/subscribe/send", MiniAppId), (mini.Endpoint, mini.AppId));
        Assert.Contains(MiniCorrectionTemplate, mini.Body, StringComparison.Ordinal);
        Assert.Empty(log.Outbox(consented.OfficialOpenId));

        // The other: the mini-program's 43101 recorded for that channel, then one template message to the follower
        // sharing the unionid, opening nothing the person cannot see (same keywords, the reason included).
        Assert.Single(log.Calls("cgi-bin/message/subscribe/send"), c => c.ErrorCode == 43101 && (c.Body ?? "").Contains(refused.MiniOpenId, StringComparison.Ordinal));
        Assert.Empty(log.Outbox(refused.MiniOpenId));
        var official = Assert.Single(log.Outbox(refused.OfficialOpenId));
        Assert.Equal(("cgi-bin/message/template/send", ResidentServer.AppId), (official.Endpoint, official.AppId));
        var data = System.Text.Json.JsonDocument.Parse(official.Body!).RootElement;
        Assert.Equal(OfficialCorrectionTemplate, data.GetProperty("template_id").GetString());
        Assert.Equal("未通过", data.GetProperty("data").GetProperty("phrase2").GetProperty("value").GetString());
        Assert.Equal("户口本页不清晰", data.GetProperty("data").GetProperty("thing3").GetProperty("value").GetString());
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM correction_channel_failures WHERE correction_id = {second} AND app_id = '{MiniAppId}' AND channel = 'subscribe' AND error_code = 43101 AND open_id = '{refused.MiniOpenId}'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM correction_channel_failures WHERE correction_id = {first}"));

        // The safety sweep finds nothing left to send: still one message each.
        await server.Services.GetRequiredService<WeChatAssist.Server.Corrections.CorrectionNotifier>().RetryDueAsync(CancellationToken.None);
        Assert.Single(log.Outbox(consented.MiniOpenId));
        Assert.Single(log.Outbox(refused.OfficialOpenId));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_correction_outcome_nobody_can_receive_is_failed_with_each_channels_refusal_recorded(string provider)
    {
        await using var server = await StartAsync(provider, ResidentServer.BusinessNow, openPlatform: true, new Dictionary<string, string?>
        {
            ["Corrections:ResultMessage:TemplateId"] = MiniCorrectionTemplate,
            ["Corrections:ResultMessage:OfficialTemplateId"] = OfficialCorrectionTemplate,
        });
        using var admin = await StaffSession.SignInAsync(server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var person = await FollowerWithMiniProgramBindingAsync(server, "郑五");
        var correction = await SubmitCorrectionAsync(server, person.Token, person.ResidentId);

        // No consent in the mini-program (43101), and the person has since unfollowed, which we have not heard of yet (43004).
        await PostAsync(server, $"/wechat-sim/_simulator/consents?appid={MiniAppId}&openid=nobody&template={MiniCorrectionTemplate}");
        await PostAsync(server, $"/wechat-sim/_simulator/users?appid={ResidentServer.AppId}&openid={person.OfficialOpenId}&following=false");
        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correction}/approve");

        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("failed", approved.Body.GetProperty("notifyStatus").GetString());
        Assert.Equal(43004, approved.Body.GetProperty("notifyErrorCode").GetInt32());
        Assert.Equal(2, await server.CountAsync($"SELECT COUNT(*) FROM correction_channel_failures WHERE correction_id = {correction}"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM correction_channel_failures WHERE correction_id = {correction} AND app_id = '{ResidentServer.AppId}' AND channel = 'template' AND error_code = 43004"));
        var log = server.Services.GetRequiredService<SimulatorCallLog>();
        Assert.Empty(log.Outbox(person.MiniOpenId));
        Assert.Empty(log.Outbox(person.OfficialOpenId));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task The_nightly_job_and_the_bureaus_trigger_backfill_unknown_followers_unionids_through_batchget_in_calls_of_100(string provider)
    {
        await using var server = await StartAsync(provider, ResidentServer.BusinessNow, openPlatform: true);
        var log = server.Services.GetRequiredService<SimulatorCallLog>();
        var faults = server.Services.GetRequiredService<SimulatorFaults>();

        // 101 people scan a county QR code and follow while user/info is refused (48001: the account had no permission
        // for it yet), so their unionids stay unknown; only the arrival is kept.
        faults.Inject(new SimulatorFault("cgi-bin/user/info", SimulatorFaultKind.ErrorCode, Count: 10_000) { ErrorCode = 48001 });
        var early = await FollowThroughQrCodeAsync(server, 101);
        faults.Clear();
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM wechat_followers WHERE open_id LIKE 'oQr%'"));

        server.Services.TriggerRecurringJob<FollowerBackfillJob>();
        Assert.Equal(101, await EventuallyCountAsync(server, "SELECT COUNT(*) FROM wechat_followers WHERE open_id LIKE 'oQr%' AND union_id IS NOT NULL", atLeast: 101));
        var batches = log.Calls("cgi-bin/user/info/batchget");
        Assert.Equal([100, 1], batches.Select(c => System.Text.Json.JsonDocument.Parse(c.Body!).RootElement.GetProperty("user_list").GetArrayLength()).Order().Reverse());

        // Five more arrive the same way; a village cadre may not start a backfill, the bureau may, and only the five
        // unknown ones are asked about.
        faults.Inject(new SimulatorFault("cgi-bin/user/info", SimulatorFaultKind.ErrorCode, Count: 10_000) { ErrorCode = 48001 });
        var late = await FollowThroughQrCodeAsync(server, 5);
        faults.Clear();
        using var cadre = await StaffSession.SignInAsync(server, await StaffSession.CreateUserAsync(server, WeChatAssist.Server.Staff.StaffRole.Village, "汉葭街道", "文家村"));
        using var bureau = await StaffSession.SignInAsync(server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await cadre.PostAsync("/api/v1/admin/followers/backfill")).Status);
        var started = await bureau.PostAsync("/api/v1/admin/followers/backfill");

        Assert.Equal(HttpStatusCode.Accepted, started.Status);
        Assert.False(string.IsNullOrEmpty(started.Body.GetProperty("jobId").GetString()));
        Assert.Equal(106, await EventuallyCountAsync(server, "SELECT COUNT(*) FROM wechat_followers WHERE open_id LIKE 'oQr%' AND union_id IS NOT NULL", atLeast: 106));
        var third = await log.WaitForAsync(c => c.Endpoint == "cgi-bin/user/info/batchget" && c.Sequence > batches.Max(b => b.Sequence), TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Equal(late.Order(StringComparer.Ordinal), System.Text.Json.JsonDocument.Parse(third.Body!).RootElement.GetProperty("user_list").EnumerateArray().Select(u => u.GetProperty("openid").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(3, log.Calls("cgi-bin/user/info/batchget").Count);
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM wechat_followers WHERE open_id = '{early[0]}' AND subscribed <> {(provider == "postgres" ? "true" : "1")}"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task While_a_backfill_runs_elsewhere_a_nightly_occurrence_is_skipped_but_the_bureaus_request_waits_for_it_and_then_runs(string provider)
    {
        await using var server = await StartAsync(provider, ResidentServer.BusinessNow, openPlatform: true);
        var log = server.Services.GetRequiredService<SimulatorCallLog>();
        var faults = server.Services.GetRequiredService<SimulatorFaults>();
        faults.Inject(new SimulatorFault("cgi-bin/user/info", SimulatorFaultKind.ErrorCode, Count: 10_000) { ErrorCode = 48001 });
        await FollowThroughQrCodeAsync(server, 3);
        faults.Clear();
        using var bureau = await StaffSession.SignInAsync(server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        string requested;
        using (server.Services.HoldSingleInstanceLock<FollowerBackfillJob>())
        {
            // The nightly occurrence finds another node's run in progress: it is dropped (Hangfire files a job its
            // filter cancelled as deleted) without asking WeChat.
            var nightly = server.Services.TriggerRecurringJob<FollowerBackfillJob>();
            Assert.Equal("Deleted", await EventuallyStateAsync(server, nightly, "Deleted"));
            Assert.Empty(log.Calls("cgi-bin/user/info/batchget"));

            // The bureau's request is not dropped: it waits while the other run holds the lock.
            var started = await bureau.PostAsync("/api/v1/admin/followers/backfill");
            Assert.Equal(HttpStatusCode.Accepted, started.Status);
            requested = started.Body.GetProperty("jobId").GetString()!;
            Assert.Equal("Processing", await EventuallyStateAsync(server, requested, "Processing"));
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal("Processing", server.Services.JobState(requested));
            Assert.Empty(log.Calls("cgi-bin/user/info/batchget"));
        }

        Assert.Equal(3, await EventuallyCountAsync(server, "SELECT COUNT(*) FROM wechat_followers WHERE open_id LIKE 'oQr%' AND union_id IS NOT NULL", atLeast: 3));
        Assert.Equal("Succeeded", await EventuallyStateAsync(server, requested, "Succeeded"));
        Assert.Single(log.Calls("cgi-bin/user/info/batchget"));
    }

    private Task<ResidentServer> StartAsync(string provider, string businessNow, bool openPlatform, IReadOnlyDictionary<string, string?>? extra = null) =>
        StartAsync(provider == "postgres" ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite, businessNow, openPlatform, extra);

    private async Task<ResidentServer> StartAsync(DatabaseProvider provider, string businessNow, bool openPlatform, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Clock:Now"] = businessNow,
            [$"WeChat:Accounts:{MiniAccount}:AppId"] = MiniAppId,
            [$"WeChat:Accounts:{MiniAccount}:Kind"] = "MiniProgram",
            [$"WeChat:Accounts:{MiniAccount}:PolicyId"] = "pengshui-2024",
            ["Reminders:MiniProgramTemplateIds:deadline"] = MiniDeadlineTemplate,
            ["Reminders:Jitter"] = "00:00:00",
            ["Reminders:IdleDelay"] = "00:00:00.050",
            ["Reminders:RetryBaseDelay"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        if (openPlatform)
        {
            settings["WeChat:Simulator:OpenPlatforms:pengshui-county:0"] = ResidentServer.AppId;
            settings["WeChat:Simulator:OpenPlatforms:pengshui-county:1"] = MiniAppId;
        }

        var connection = provider == DatabaseProvider.Postgres ? await postgresDatabaseAsync() : TempSqlite();
        // Over Kestrel: pushes, the mini-program API and staff requests cross a real socket, and the WeChat client
        // reaches the simulator on the server's own port, as under `dotnet run`.
        return await ResidentServer.StartAsync(provider, connection, settings, overKestrel: true);

        Task<string> postgresDatabaseAsync() => postgres.CreateDatabaseAsync();
    }

    private static string TempSqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), "wca-unionid-" + Guid.NewGuid().ToString("N") + ".db");
        return "Data Source=" + path;
    }

    private static Task<long> EventuallyCountAsync(ResidentServer server, string sql, long atLeast = 1) =>
        EventuallyAsync(() => server.CountAsync(sql), count => count >= atLeast);

    private static Task<string?> EventuallyStateAsync(ResidentServer server, string jobId, string state) =>
        EventuallyAsync(() => Task.FromResult(server.Services.JobState(jobId)), now => now == state);

    /// <summary>Reads <paramref name="read"/> every 100 ms until <paramref name="done"/> holds or 60 s have passed, and
    /// returns the last value read.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A resident bound (self) in the mini-program by a person who also follows the official account; the
    /// follower's unionid is learnt when they subscribe.</summary>
    private static async Task<(string Token, long ResidentId, string MiniOpenId, string OfficialOpenId)> FollowerWithMiniProgramBindingAsync(ResidentServer server, string name)
    {
        var (miniOpenId, officialOpenId) = (TestIds.OpenId(), "oOa" + Guid.NewGuid().ToString("N")[..20]);
        await SamePersonAsync(server, miniOpenId, officialOpenId);
        var id = TestIds.Next(birth: "19690303");
        var residentId = await server.SeedAsync(name, id);
        var token = await server.SessionAsync(miniOpenId, MiniAccount, MiniAppId);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, name, id)).Status);
        var subscribe = WeChatPushSimulator.Event("gh_pengshui", officialOpenId, "subscribe", "", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(200, (await new WeChatPushSimulator(server.Client).PushAsync(new Uri(server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), Account(server, ResidentServer.Account), subscribe, encrypt: true, CancellationToken.None)).StatusCode);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM wechat_followers WHERE open_id = '{officialOpenId}' AND union_id IS NOT NULL"));
        return (token, residentId, miniOpenId, officialOpenId);
    }

    /// <summary>Submits a household-number correction in the mini-program; returns its id.</summary>
    private static async Task<long> SubmitCorrectionAsync(ResidentServer server, string token, long residentId)
    {
        var (status, body, text) = await server.SubmitAsync(token, residentId, "household", "H-" + Random.Shared.Next(100, 999).ToString(CultureInfo.InvariantCulture));
        Assert.True(status == HttpStatusCode.Created, text);
        return body.GetProperty("id").GetInt64();
    }

    /// <summary><paramref name="count"/> new people follow the official account by scanning a county QR code.</summary>
    private static async Task<List<string>> FollowThroughQrCodeAsync(ResidentServer server, int count)
    {
        var openIds = new List<string>();
        var pusher = new WeChatPushSimulator(server.Client);
        for (var i = 0; i < count; i++)
        {
            var openId = "oQr" + Guid.NewGuid().ToString("N")[..20];
            var subscribe = WeChatPushSimulator.Event("gh_pengshui", openId, "subscribe", "qrscene_county-poster", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            Assert.Equal(200, (await pusher.PushAsync(new Uri(server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), Account(server, ResidentServer.Account), subscribe, encrypt: true, CancellationToken.None)).StatusCode);
            openIds.Add(openId);
        }

        Assert.Equal(count, await server.CountAsync($"SELECT COUNT(DISTINCT open_id) FROM follower_scene WHERE open_id IN ({string.Join(", ", openIds.Select(o => $"'{o}'"))})"));
        return openIds;
    }

    private static WeChatAccountOptions Account(ResidentServer server, string name) =>
        server.Services.GetRequiredService<IOptionsMonitor<WeChatOptions>>().CurrentValue.Accounts[name];

    /// <summary>Tells the simulator that both OpenIDs are one person (a real WeChat user has one per app).</summary>
    private static async Task SamePersonAsync(ResidentServer server, string miniOpenId, string officialOpenId)
    {
        var person = "person-" + Guid.NewGuid().ToString("N")[..8];
        await PostAsync(server, $"/wechat-sim/_simulator/users?appid={MiniAppId}&openid={miniOpenId}&person={person}");
        await PostAsync(server, $"/wechat-sim/_simulator/users?appid={ResidentServer.AppId}&openid={officialOpenId}&person={person}");
    }

    private static async Task<string> AskOfficialAccountAsync(ResidentServer server, string openId, string text)
    {
        var xml = WeChatPushSimulator.TextMessage("gh_pengshui", openId, text, Random.Shared.NextInt64(1, long.MaxValue / 2), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var result = await new WeChatPushSimulator(server.Client).PushAsync(new Uri(server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), Account(server, ResidentServer.Account), xml, encrypt: true, CancellationToken.None);
        Assert.Equal(200, result.StatusCode);
        Assert.True(result.ReplySignatureValid, result.Body);
        return result.ReplyText ?? throw new InvalidOperationException("no passive reply: " + result.Body);
    }

    private static async Task<HttpStatusCode> PostAsync(ResidentServer server, string pathAndQuery, string? body = null)
    {
        using var content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Client.PostAsync(new Uri(pathAndQuery, UriKind.Relative), content);
        Assert.True(body is not null || response.IsSuccessStatusCode, $"{pathAndQuery}: {(int)response.StatusCode}");
        return response.StatusCode;
    }
}
