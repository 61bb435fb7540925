using WeChatAssist.Server.Data;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.WeChat;

/// <summary>Claims WeChat retry keys in <c>message_dedupe</c> (<see cref="MessageDedupeStore"/>), so every node answers a retried message once.</summary>
internal sealed class DatabaseMessageDeduplicator(MessageDedupeStore store, TimeProvider clock) : IMessageDeduplicator
{
    public async ValueTask<bool> TryClaimAsync(string account, string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await store.TryClaimAsync(account, key, now + ttl, now, cancellationToken);
    }
}
