namespace WeChatAssist.Server.Data;

/// <summary>The owner of <c>app_settings</c>: small values the server keeps across restarts under a key (the demo
/// date, the personal-data key fingerprints).</summary>
internal sealed class AppSettings(DatabaseTarget database)
{
    public Task<string?> FindAsync(string key, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<string>("SELECT value FROM app_settings WHERE key = @key", new { key }, cancellationToken);

    public Task SetAsync(string key, string value, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO app_settings (key, value, updated_at) VALUES (@key, @value, @at)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            new { key, value, at = database.Dialect.TextInstant(now) },
            cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        database.ExecuteAsync("DELETE FROM app_settings WHERE key = @key", new { key }, cancellationToken);
}
