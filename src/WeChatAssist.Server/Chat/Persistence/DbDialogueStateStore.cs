using System.Data.Common;
using System.Text.Json;
using WeChatAssist.Server.Chat.Dialogue;

namespace WeChatAssist.Server.Chat.Persistence;

/// <summary>Dialogue state in <c>chat_dialogue_state</c> (schema version 4), shared by all nodes; the same SQL runs on
/// PostgreSQL and SQLite (upsert with ON CONFLICT, expiry as Unix milliseconds).</summary>
internal sealed class DbDialogueStateStore(DbDataSource dataSource, TimeProvider clock) : IDialogueStateStore
{
    public async ValueTask<DialogueState?> GetAsync(string account, string userId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT state FROM chat_dialogue_state WHERE account = @account AND open_id = @open_id AND expires_at > @now");
        Add(command, "account", account);
        Add(command, "open_id", userId);
        Add(command, "now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<DialogueState>(json, JsonSerializerOptions.Web)
            : null;
    }

    public async ValueTask SaveAsync(string account, string userId, DialogueState state, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO chat_dialogue_state (account, open_id, state, expires_at) VALUES (@account, @open_id, @state, @expires_at) "
            + "ON CONFLICT (account, open_id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at");
        Add(command, "account", account);
        Add(command, "open_id", userId);
        Add(command, "state", JsonSerializer.Serialize(state, JsonSerializerOptions.Web));
        Add(command, "expires_at", (clock.GetUtcNow() + lifetime).ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Deletes expired rows; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM chat_dialogue_state WHERE expires_at <= @now");
        Add(command, "now", clock.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
