using WeChatAssist.Server.Data;
using WeChatAssist.Server.WeChat;

namespace WeChatAssist.Server.Corrections;

/// <summary><c>correction_channel_failures</c>: each channel that refused a correction's outcome message for that
/// channel only (43101, 47003, 43004), so the message goes on to the person's next channel and never back.</summary>
internal sealed class CorrectionChannelFailures(DatabaseTarget database)
{
    /// <summary>The (app, channel) pairs that already refused this correction's message.</summary>
    public async Task<HashSet<(string AppId, string Channel)>> TriedAsync(long correctionId, CancellationToken cancellationToken) =>
        [.. await database.QueryAsync<(string AppId, string Channel)>(
            "SELECT app_id, channel FROM correction_channel_failures WHERE correction_id = @correctionId", new { correctionId }, cancellationToken)];

    public Task RecordAsync(long correctionId, MessageTarget target, int errorCode, string? error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return database.ExecuteAsync(
            """
            INSERT INTO correction_channel_failures (correction_id, app_id, channel, open_id, error_code, error, at)
            VALUES (@correctionId, @AppId, @Channel, @OpenId, @errorCode, @error, @now)
            ON CONFLICT (correction_id, app_id, channel) DO NOTHING
            """,
            new { correctionId, target.AppId, target.Channel, target.OpenId, errorCode, error, now },
            cancellationToken);
    }
}
