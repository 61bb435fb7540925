using System.Data.Common;
using System.Text.Json;
using Dapper;
using WeChatAssist.Server.Chat.Dialogue;

namespace WeChatAssist.Server.Chat.Persistence;

/// <summary>Dialogue state in <c>chat_dialogue_state</c> (schema version 4), shared by all nodes; the same SQL runs on
/// PostgreSQL and SQLite (upsert with ON CONFLICT, expiry as Unix milliseconds on both, so it is passed as a number,
/// not as an instant the type handlers would turn into <c>timestamptz</c>).</summary>
internal sealed class DbDialogueStateStore(DbDataSource dataSource, TimeProvider clock) : IDialogueStateStore
{
    public async ValueTask<DialogueState?> GetAsync(string account, string userId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var json = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT state FROM chat_dialogue_state WHERE account = @account AND open_id = @userId AND expires_at > @now",
            new { account, userId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        return json is null ? null : JsonSerializer.Deserialize<DialogueState>(json, JsonSerializerOptions.Web);
    }

    public async ValueTask SaveAsync(string account, string userId, DialogueState state, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO chat_dialogue_state (account, open_id, state, expires_at) VALUES (@account, @userId, @state, @expiresAt)
            ON CONFLICT (account, open_id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at
            """,
            new { account, userId, state = JsonSerializer.Serialize(state, JsonSerializerOptions.Web), expiresAt = (clock.GetUtcNow() + lifetime).ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Deletes expired rows; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM chat_dialogue_state WHERE expires_at <= @now", new { now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: cancellationToken));
    }

    /// <summary>Adds a parameter by hand, for <see cref="DbFollowerSceneRecorder"/>'s commands.</summary>
    internal static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
