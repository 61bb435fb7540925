using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.Reminders;

/// <summary>Subscribe-message consent per follower and template (<c>subscribe_consents</c>): each accepted popup
/// allows one more message; a rejection in the popup or in the settings clears what was left. The dispatcher uses
/// one per subscribe message sent.</summary>
internal sealed class SubscribeConsents(DatabaseTarget database, BusinessClock clock)
{
    public async Task RecordAsync(string appId, string openId, IReadOnlyList<SubscribeMessageChoice> choices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choices);
        foreach (var choice in choices)
        {
            var accepted = string.Equals(choice.SubscribeStatus, "accept", StringComparison.Ordinal);
            await database.ExecuteAsync(
                accepted
                    ? """
                      INSERT INTO subscribe_consents (app_id, open_id, template_id, remaining, updated_at) VALUES (@appId, @openId, @TemplateId, 1, @now)
                      ON CONFLICT (app_id, open_id, template_id) DO UPDATE SET remaining = subscribe_consents.remaining + 1, updated_at = excluded.updated_at
                      """
                    : "UPDATE subscribe_consents SET remaining = 0, updated_at = @now WHERE app_id = @appId AND open_id = @openId AND template_id = @TemplateId",
                new { appId, openId, choice.TemplateId, now = clock.GetUtcNow() },
                cancellationToken);
        }
    }
}

/// <summary>Counts subscribe-message consents from <c>subscribe_msg_popup_event</c>, <c>subscribe_msg_change_event</c> and
/// refused deliveries in <c>subscribe_msg_sent_event</c>, on the official account and the mini-program alike, before
/// the chatbot answers (it calls every <see cref="IChatMessageObserver"/> first).</summary>
internal sealed class SubscribeConsentObserver(SubscribeConsents consents) : IChatMessageObserver
{
    public async ValueTask ObserveAsync(WeChatMessageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        switch (context.Message)
        {
            case SubscribeMessagePopupEvent popup:
                await consents.RecordAsync(context.AppId, popup.FromUserName, popup.Choices, cancellationToken);
                break;
            case SubscribeMessageChangeEvent change:
                await consents.RecordAsync(context.AppId, change.FromUserName, [.. change.Choices.Where(c => c.SubscribeStatus != "accept")], cancellationToken);
                break;
            case SubscribeMessageSentEvent sent:
                // A delivery refused because the person turned the template off (43101) leaves no consent behind.
                await consents.RecordAsync(context.AppId, sent.FromUserName,
                    [.. sent.Deliveries.Where(d => d.ErrorCode == WeChatAssist.WeChat.Api.WeChatErrorCodes.UserRefused).Select(d => new SubscribeMessageChoice(d.TemplateId, "reject", null))], cancellationToken);
                break;
        }
    }
}
