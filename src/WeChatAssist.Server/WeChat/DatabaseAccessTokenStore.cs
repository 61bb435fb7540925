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

    public async ValueTask<StoredAccessToken?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = GetSql;
        command.AddParameter("@key", key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) && !await reader.IsDBNullAsync(1, cancellationToken)
            ? new StoredAccessToken(reader.GetString(0), reader.GetInstant(database.Provider, 1))
            : null;
    }

    public async ValueTask<bool> TryAcquireRefreshLeaseAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = LeaseSql;
        command.AddParameter("@key", key);
        command.AddParameter("@owner", owner);
        command.AddInstant(database.Provider, "@until", now + duration);
        command.AddInstant(database.Provider, "@now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async ValueTask SaveAsync(string key, StoredAccessToken token, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = SaveSql;
        command.AddParameter("@key", key);
        command.AddParameter("@token", token.Value);
        command.AddInstant(database.Provider, "@expires", token.ExpiresAt);
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask ReleaseRefreshLeaseAsync(string key, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ReleaseSql;
        command.AddParameter("@key", key);
        command.AddParameter("@owner", owner);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
