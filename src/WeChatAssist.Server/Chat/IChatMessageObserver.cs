using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.Chat;

/// <summary>Something another feature notes from every message or event an account receives, before the chatbot answers
/// (reminders count subscribe-message consents). Features register observers as ordinary services; the chatbot calls
/// them in registration order, so no feature has to find and wrap the chatbot's handler.</summary>
internal interface IChatMessageObserver
{
    ValueTask ObserveAsync(WeChatMessageContext context, CancellationToken cancellationToken);
}
