using Microsoft.Extensions.Options;
using WeChatAssist.Server.Chat;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>Looks up an official-account follower's unionid (<c>cgi-bin/user/info</c>) when they subscribe and when
/// they first write, before the account's own handler (the chatbot) answers, so the first question of a resident who
/// bound themself in the mini-program is already answered with their bindings. Unsubscribes are noted. An observer
/// the chatbot calls, not a wrapper of its handler, so no feature rewrites another's registration.</summary>
internal sealed partial class FollowerIdentityObserver(
    FollowerIdentities identities,
    IOptionsMonitor<WeChatOptions> wechatOptions,
    ILogger<FollowerIdentityObserver> logger) : IChatMessageObserver
{
    public async ValueTask ObserveAsync(WeChatMessageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (wechatOptions.CurrentValue.Accounts.TryGetValue(context.AccountName, out var account) && account.Kind == WeChatAccountKind.OfficialAccount)
        {
            try
            {
                switch (context.Message)
                {
                    case SubscribeEvent:
                        await identities.FetchAsync(context.AccountName, context.Message.FromUserName, cancellationToken);
                        break;
                    case UnsubscribeEvent:
                        await identities.MarkUnsubscribedAsync(context.AppId, context.Message.FromUserName, cancellationToken);
                        break;
                    case UserMessage:
                        await identities.FindOrFetchAsync(context.AccountName, context.Message.FromUserName, cancellationToken);
                        break;
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or HttpRequestException)
            {
                // The answer matters more than the lookup: the chatbot then simply does not know the follower yet.
                LogFailed(logger, context.AccountName, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Follower identity lookup on account '{Account}' failed; answering without it.")]
    private static partial void LogFailed(ILogger logger, string account, Exception exception);
}
