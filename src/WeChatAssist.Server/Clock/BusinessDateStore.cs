using System.Globalization;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Clock;

/// <summary>The demo date chosen in Development, kept in <c>app_settings</c> so it survives a restart.</summary>
internal sealed class BusinessDateStore(DatabaseTarget database, TimeProvider realClock)
{
    /// <summary>The <c>app_settings</c> key.</summary>
    public const string Key = "dev.business-date";

    /// <summary>The stored choice, or <see langword="null"/> when none was made (or it was cleared).</summary>
    public async Task<DateOnly?> FindAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, "SELECT value FROM app_settings WHERE key = @key");
        command.AddParameter("@key", Key);
        return await command.ExecuteScalarAsync(cancellationToken) is string text
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }

    /// <summary>Keeps <paramref name="date"/> as the choice; <see langword="null"/> forgets it.</summary>
    public async Task SaveAsync(DateOnly? date, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = date is null
            ? connection.Command(null, "DELETE FROM app_settings WHERE key = @key")
            : connection.Command(null, """
                INSERT INTO app_settings (key, value, updated_at) VALUES (@key, @value, @at)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
                """);
        command.AddParameter("@key", Key);
        if (date is { } chosen)
        {
            command.AddParameter("@value", chosen.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            var now = realClock.GetUtcNow();
            // app_settings.updated_at is timestamptz on PostgreSQL and ISO text on SQLite (EF Core's mapping).
            command.AddParameter("@at", database.Provider == DatabaseProvider.Postgres ? now : now.ToString("O", CultureInfo.InvariantCulture));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
