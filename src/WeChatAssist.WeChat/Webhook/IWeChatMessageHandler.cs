using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;

namespace WeChatAssist.WeChat.Webhook;

/// <summary>The application's answer to pushed messages and events. Resolved from a fresh DI scope per message.</summary>
public interface IWeChatMessageHandler
{
    /// <summary>Handles one de-duplicated message; returns a reply or null. If it takes longer than the reply budget the
    /// webhook answers <c>success</c> and the reply is delivered later through <see cref="IDeferredReplySender"/>.
    /// Unknown types (<see cref="UnknownMessage"/>, <see cref="UnknownEvent"/>) are always answered <c>success</c>; a reply to them is ignored.</summary>
    ValueTask<WeChatReply?> HandleAsync(WeChatMessageContext context, CancellationToken cancellationToken);
}

/// <summary>One inbound message with the account it arrived on.</summary>
/// <param name="AccountName">The configured account name (route value).</param>
/// <param name="AppId">The account's app id.</param>
/// <param name="AccountData">The account's opaque application data (<c>PolicyId</c> in settings).</param>
/// <param name="Message">The typed message.</param>
public sealed record WeChatMessageContext(string AccountName, string AppId, string AccountData, InboundMessage Message);

/// <summary>Claims a message key once across all nodes, so WeChat's retries are processed once.</summary>
public interface IMessageDeduplicator
{
    /// <summary>True the first time <paramref name="key"/> is seen for <paramref name="account"/> within <paramref name="ttl"/>; false for a repeat.</summary>
    ValueTask<bool> TryClaimAsync(string account, string key, TimeSpan ttl, CancellationToken cancellationToken);
}

/// <summary>Delivers a reply that missed the passive-reply budget (by default through the customer-service API).</summary>
public interface IDeferredReplySender
{
    /// <summary>Sends <paramref name="reply"/> to <paramref name="openId"/> on <paramref name="account"/>.</summary>
    Task SendAsync(string account, string openId, WeChatReply reply, CancellationToken cancellationToken);
}
