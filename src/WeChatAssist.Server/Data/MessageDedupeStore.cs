namespace WeChatAssist.Server.Data;

/// <summary>The owner of <c>message_dedupe</c>: WeChat message keys already handled for an account, kept until they
/// expire so WeChat's retries are answered once across all nodes.</summary>
internal sealed class MessageDedupeStore(DatabaseTarget database)
{
    /// <summary>Inserts the key, or takes over a row whose expiry has passed: true when this node has the claim. A
    /// concurrent insert of the same key waits on the primary key and then finds a live row, so it affects none.</summary>
    public async Task<bool> TryClaimAsync(string account, string key, DateTimeOffset expires, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            """
            INSERT INTO message_dedupe (account, dedupe_key, expires_at) VALUES (@account, @key, @expires)
            ON CONFLICT (account, dedupe_key) DO UPDATE SET expires_at = excluded.expires_at
            WHERE message_dedupe.expires_at <= @now
            """,
            new { account, key, expires, now },
            cancellationToken) == 1;

    /// <summary>Deletes the keys that expired before <paramref name="now"/>; returns how many.</summary>
    public Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync("DELETE FROM message_dedupe WHERE expires_at < @now", new { now }, cancellationToken);

    /// <summary>The keys held for <paramref name="account"/>, in order.</summary>
    public Task<List<string>> KeysAsync(string account, CancellationToken cancellationToken) =>
        database.QueryAsync<string>("SELECT dedupe_key FROM message_dedupe WHERE account = @account ORDER BY dedupe_key", new { account }, cancellationToken);
}
