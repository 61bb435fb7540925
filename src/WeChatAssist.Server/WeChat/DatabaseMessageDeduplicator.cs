using WeChatAssist.Server.Data;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.WeChat;

/// <summary>Claims WeChat retry keys in <c>message_dedupe</c>, so every node answers a retried message once.</summary>
internal sealed class DatabaseMessageDeduplicator(DatabaseTarget database, TimeProvider clock) : IMessageDeduplicator
{
    // Insert the key, or take over a row whose expiry has passed: one row affected means this node has the claim.
    // A concurrent insert of the same key waits on the primary key and then finds a live row, so it affects none.
    private const string ClaimSql = """
        INSERT INTO message_dedupe (account, dedupe_key, expires_at) VALUES (@account, @key, @expires)
        ON CONFLICT (account, dedupe_key) DO UPDATE SET expires_at = excluded.expires_at
        WHERE message_dedupe.expires_at <= @now
        """;

    public async ValueTask<bool> TryClaimAsync(string account, string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ClaimSql;
        command.AddParameter("@account", account);
        command.AddParameter("@key", key);
        command.AddInstant(database.Provider, "@expires", now + ttl);
        command.AddInstant(database.Provider, "@now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
