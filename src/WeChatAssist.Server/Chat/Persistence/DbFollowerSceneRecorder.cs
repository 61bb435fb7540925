using System.Data.Common;

namespace WeChatAssist.Server.Chat.Persistence;

/// <summary>Records QR scenes in <c>follower_scene</c> (schema version 4).</summary>
internal sealed class DbFollowerSceneRecorder(DbDataSource dataSource) : IFollowerSceneRecorder
{
    public async ValueTask RecordAsync(string account, string openId, string scene, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("INSERT INTO follower_scene (account, open_id, scene, at) VALUES (@account, @open_id, @scene, @at)");
        DbDialogueStateStore.Add(command, "account", account);
        DbDialogueStateStore.Add(command, "open_id", openId);
        DbDialogueStateStore.Add(command, "scene", scene);
        DbDialogueStateStore.Add(command, "at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>Reminder choices in <c>chat_reminder_choice</c> (schema version 4).</summary>
internal sealed class DbReminderSubscriptions(DbDataSource dataSource, TimeProvider clock) : IReminderSubscriptions
{
    public async ValueTask SetAsync(string account, string openId, bool subscribed, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO chat_reminder_choice (account, open_id, subscribed, updated_at) VALUES (@account, @open_id, @subscribed, @updated_at) "
            + "ON CONFLICT (account, open_id) DO UPDATE SET subscribed = excluded.subscribed, updated_at = excluded.updated_at");
        DbDialogueStateStore.Add(command, "account", account);
        DbDialogueStateStore.Add(command, "open_id", openId);
        DbDialogueStateStore.Add(command, "subscribed", subscribed);
        DbDialogueStateStore.Add(command, "updated_at", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<bool?> GetAsync(string account, string openId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT subscribed FROM chat_reminder_choice WHERE account = @account AND open_id = @open_id");
        DbDialogueStateStore.Add(command, "account", account);
        DbDialogueStateStore.Add(command, "open_id", openId);
        return await command.ExecuteScalarAsync(cancellationToken) switch
        {
            bool b => b,
            long l => l != 0,
            _ => null,
        };
    }
}
