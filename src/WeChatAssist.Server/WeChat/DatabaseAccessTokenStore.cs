using WeChatAssist.Server.Data;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Tokens;

namespace WeChatAssist.Server.WeChat;

/// <summary>Access tokens and tickets in <c>access_tokens</c>, shared by all nodes; a lease row makes one node the refresher.</summary>
internal sealed class DatabaseAccessTokenStore(DatabaseTarget database, TimeProvider clock) : IAccessTokenStore
{
    private const string GetSql = "SELECT token, expires_at FROM access_tokens WHERE token_key = @key AND token IS NOT NULL";

    // Take the lease when nobody holds it, it ran out, or this owner already holds it (a renewal).
    private const string LeaseSql = """
        INSERT INTO access_tokens (token_key, lease_owner, lease_until, updated_at) VALUES (@key, @owner, @until, @now)
        ON CONFLICT (token_key) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until, updated_at = excluded.updated_at
        WHERE access_tokens.lease_until IS NULL OR access_tokens.lease_until <= @now OR access_tokens.lease_owner = @owner
        """;

    private const string SaveSql = """
        INSERT INTO access_tokens (token_key, token, expires_at, updated_at) VALUES (@key, @token, @expires, @now)
        ON CONFLICT (token_key) DO UPDATE SET token = excluded.token, expires_at = excluded.expires_at, updated_at = excluded.updated_at
        """;

    private const string ReleaseSql = "UPDATE access_tokens SET lease_owner = NULL, lease_until = NULL WHERE token_key = @key AND lease_owner = @owner";

    public async ValueTask<StoredAccessToken?> GetAsync(string key, CancellationToken cancellationToken) =>
        await database.QuerySingleOrDefaultAsync<TokenRow>(GetSql, new { key }, cancellationToken) is { ExpiresAt: { } expires } row
            ? new StoredAccessToken(row.Token, expires)
            : null;

    public async ValueTask<bool> TryAcquireRefreshLeaseAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return await database.ExecuteAsync(LeaseSql, new { key, owner, until = now + duration, now }, cancellationToken) == 1;
    }

    public async ValueTask SaveAsync(string key, StoredAccessToken token, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(SaveSql, new { key, token = token.Value, expires = token.ExpiresAt, now = clock.GetUtcNow() }, cancellationToken);

    public async ValueTask ReleaseRefreshLeaseAsync(string key, string owner, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(ReleaseSql, new { key, owner }, cancellationToken);

    private sealed record TokenRow(string Token, DateTimeOffset? ExpiresAt);
}
