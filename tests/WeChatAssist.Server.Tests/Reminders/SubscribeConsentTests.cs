using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>Subscribe-message consent counted from the popup event pushed to the webhook, then spent by a subscribe reminder.</summary>
public sealed class SubscribeConsentTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task An_accepted_popup_makes_the_next_deadline_reminder_a_subscribe_message_and_uses_the_consent_up()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, "2023-12-24T10:00:00+08:00", new Dictionary<string, string?>
        {
            ["Reminders:DispatcherEnabled"] = "false",
            ["Reminders:SubscribeKinds:0"] = "deadline",
        });
        var consenting = await server.BoundResidentAsync("张三丰");
        var other = await server.BoundResidentAsync("李四光");
        var account = server.Services.GetRequiredService<IOptionsMonitor<WeChatOptions>>().CurrentValue.Accounts[ResidentServer.Account];
        var xml = WeChatPushSimulator.Event("gh_pengshui", consenting.OpenId, "subscribe_msg_popup_event", null, DateTimeOffset.UtcNow.ToUnixTimeSeconds())
            .Replace("</xml>", "<SubscribeMsgPopupEvent><List><TemplateId>reminder-deadline</TemplateId><SubscribeStatusString>accept</SubscribeStatusString><PopupScene>0</PopupScene></List></SubscribeMsgPopupEvent></xml>", StringComparison.Ordinal);

        var pushed = await new WeChatPushSimulator(server.Client).PushAsync(new Uri(server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), account, xml, encrypt: true, CancellationToken.None);
        using var admin = await server.StaffClientAsync();
        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");
        var round = await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);

        Assert.Equal(200, pushed.StatusCode);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {consenting.Id} AND channel = 'subscribe'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {consenting.Id} AND channel = 'template'"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {other.Id} AND channel = 'template'"));
        Assert.Equal(2, round.Sent);
        var subscribe = Assert.Single(server.CallLog().Calls("cgi-bin/message/subscribe/bizsend"), c => c.ErrorCode == 0);
        Assert.Contains(consenting.OpenId, subscribe.Body, StringComparison.Ordinal);
        Assert.Equal(0, await server.CountAsync($"SELECT remaining FROM subscribe_consents WHERE open_id = '{consenting.OpenId}' AND template_id = 'reminder-deadline'"));
    }
}
