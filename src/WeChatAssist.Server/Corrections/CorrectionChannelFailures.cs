using WeChatAssist.Server.Data;
using WeChatAssist.Server.WeChat;

namespace WeChatAssist.Server.Corrections;

/// <summary><c>correction_channel_failures</c>: each channel that refused a correction's outcome message for that
/// channel only (43101, 47003, 43004), so the message goes on to the person's next channel and never back.</summary>
internal sealed class CorrectionChannelFailures(DatabaseTarget database)
{
    /// <summary>The (app, channel) pairs that already refused this correction's message.</summary>
    public async Task<HashSet<(string AppId, string Channel)>> TriedAsync(long correctionId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT app_id, channel FROM correction_channel_failures WHERE correction_id = @id");
        command.AddParameter("@id", correctionId);
        var tried = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            tried.Add((reader.GetString(0), reader.GetString(1)));
        }

        return tried;
    }

    public async Task RecordAsync(long correctionId, MessageTarget target, int errorCode, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO correction_channel_failures (correction_id, app_id, channel, open_id, error_code, error, at)
            VALUES (@id, @app, @channel, @open, @code, @error, @now)
            ON CONFLICT (correction_id, app_id, channel) DO NOTHING
            """);
        command.AddParameter("@id", correctionId);
        command.AddParameter("@app", target.AppId);
        command.AddParameter("@channel", target.Channel);
        command.AddParameter("@open", target.OpenId);
        command.AddParameter("@code", errorCode);
        command.AddText("@error", error);
        command.AddInstant(database.Provider, "@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
