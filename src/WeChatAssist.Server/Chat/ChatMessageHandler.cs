using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Chat.Understanding;
using WeChatAssist.Server.Clock;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.Chat;

/// <summary>The WeChat side of the chatbot: maps the account's <c>PolicyId</c> to its policy and each message or event
/// to the <see cref="ChatEngine"/>, and returns one text reply. Answers use the business date; scene arrivals are
/// stamped with the real time.</summary>
internal sealed partial class ChatMessageHandler(
    ChatEngine engine,
    PolicyCatalog catalog,
    BusinessClock clock,
    TimeProvider realClock,
    IFollowerSceneRecorder scenes,
    IFollowerLanguages languages,
    IBindingInvitation invitation,
    ILogger<ChatMessageHandler> logger,
    IEnumerable<IChatMessageObserver>? observers = null) : IWeChatMessageHandler
{
    public async ValueTask<WeChatReply?> HandleAsync(WeChatMessageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var observer in observers ?? [])
        {
            await observer.ObserveAsync(context, cancellationToken);
        }

        var today = clock.Today();
        if (ChatPolicies.Resolve(catalog, context.AccountData, today) is not { } policy)
        {
            LogUnknownPolicy(logger, context.AccountName, context.AccountData);
            return null;
        }

        var message = context.Message;
        var openId = message.FromUserName;
        var language = ChatLanguages.FromWeChat(await languages.FindAsync(context.AccountName, openId, cancellationToken));
        switch (message)
        {
            case TextMessage text:
                return await AnswerAsync(context.AccountName, openId, policy, language, text.Content, today, cancellationToken);
            case VoiceMessage { Recognition: { Length: > 0 } recognition }:
                return await AnswerAsync(context.AccountName, openId, policy, language, recognition, today, cancellationToken);
            case VoiceMessage:
                return Reply(engine.Special("voice_unrecognised", policy, language, today));
            case SubscribeEvent subscribe:
                if (!string.IsNullOrEmpty(subscribe.Scene))
                {
                    await scenes.RecordAsync(context.AccountName, openId, subscribe.Scene, realClock.GetUtcNow(), cancellationToken);
                }

                return Reply(engine.Special("welcome", policy, language, today));
            case ScanEvent scan:
                if (scan.Scene.Length > 0)
                {
                    await scenes.RecordAsync(context.AccountName, openId, scan.Scene, realClock.GetUtcNow(), cancellationToken);
                }

                return Reply(engine.Special("menu", policy, language, today));
            case MenuClickEvent click when MenuNumber(click.EventKey) is { } number:
                return await AnswerAsync(context.AccountName, openId, policy, language, number, today, cancellationToken);
            case UnsubscribeEvent:
                return null;
            case MenuClickEvent:
                return Reply(engine.Special("menu", policy, language, today));
            case InboundEvent:
                // Delivery reports and other events need no answer.
                return null;
            default:
                return Reply(engine.Special("menu", policy, language, today));
        }
    }

    private async ValueTask<WeChatReply> AnswerAsync(string account, string openId, InsurancePolicy policy, ChatLanguage language, string text, DateOnly today, CancellationToken cancellationToken)
    {
        var answer = await engine.AnswerAsync(new ChatRequest(account, openId, policy, language, text, today), cancellationToken);
        LogAnswered(logger, account, ChatIntents.Name(answer.Intent), answer.Confidence, answer.FellBack);

        ChatMetrics.Answered(account, answer);

        // Not connected to a resident (no unionid, or nothing bound): point to the binding page rather than guess.
        if (answer.Template == "status_unbound" && invitation.For(account) is { } invite)
        {
            return new TextReply(answer.Text.TrimEnd() + invite);
        }

        return Reply(answer);
    }

    private static TextReply Reply(ChatAnswer answer) => new(answer.Text);

    /// <summary>A CLICK key such as <c>MENU_3</c> or <c>3</c> stands for menu item 3.</summary>
    private static string? MenuNumber(string eventKey)
    {
        var digits = new string(eventKey.Where(char.IsAsciiDigit).ToArray());
        return digits.Length is 1 or 2 ? digits : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat: account {Account} names policy '{PolicyId}', which is not loaded; no reply.")]
    private static partial void LogUnknownPolicy(ILogger logger, string account, string policyId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Chat: {Account} answered {Intent} (confidence {Confidence:0.00}, fell back {FellBack}).")]
    private static partial void LogAnswered(ILogger logger, string account, string intent, double confidence, bool fellBack);
}
