using Microsoft.Extensions.Options;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Persistence;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.Reminders;

/// <summary>Per follower and kind: whether reminders of that kind are wanted (<c>reminder_preferences</c>). Opting
/// out also cancels that follower's pending rows of the kind, so a row planned a minute earlier is not sent.</summary>
internal sealed class ReminderPreferences(DatabaseTarget database, BusinessClock clock)
{
    /// <summary>Sets the follower's choice for each kind in <paramref name="wanted"/> (kind → wants it).</summary>
    public async Task SetAsync(string appId, string openId, IReadOnlyDictionary<string, bool> wanted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var provider = database.Provider;
        var now = clock.GetUtcNow();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (kind, wants) in wanted)
        {
            await using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO reminder_preferences (app_id, open_id, kind, opted_out, updated_at) VALUES (@app, @open, @kind, @out, @now)
                ON CONFLICT (app_id, open_id, kind) DO UPDATE SET opted_out = excluded.opted_out, updated_at = excluded.updated_at
                """;
            upsert.AddParameter("@app", appId);
            upsert.AddParameter("@open", openId);
            upsert.AddParameter("@kind", kind);
            upsert.AddParameter("@out", SqlValues.Flag(provider, !wants));
            upsert.AddInstant(provider, "@now", now);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
            if (!wants)
            {
                await using var cancel = connection.CreateCommand();
                cancel.Transaction = transaction;
                cancel.CommandText = "UPDATE reminder_outbox SET status = 'cancelled', last_error = 'opted out' WHERE app_id = @app AND open_id = @open AND kind = @kind AND status IN ('pending', 'deferred')";
                cancel.AddParameter("@app", appId);
                cancel.AddParameter("@open", openId);
                cancel.AddParameter("@kind", kind);
                await cancel.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The follower's stated choices (kinds never stated are absent: they are wanted).</summary>
    public async Task<IReadOnlyDictionary<string, bool>> GetAsync(string appId, string openId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT kind, opted_out FROM reminder_preferences WHERE app_id = @app AND open_id = @open");
        command.AddParameter("@app", appId);
        command.AddParameter("@open", openId);
        var choices = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            choices[reader.GetString(0)] = !Convert.ToBoolean(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }

        return choices;
    }
}

/// <summary>The chat's 退订/订阅 (<see cref="IReminderSubscriptions"/>): keeps the chat's own record and sets every
/// reminder kind of <see cref="ReminderPreferences"/> for the follower, so the planner honours it.</summary>
internal sealed class ChatReminderSubscriptions(DbReminderSubscriptions chat, ReminderPreferences preferences, IOptionsMonitor<WeChatOptions> wechat) : IReminderSubscriptions
{
    public async ValueTask SetAsync(string account, string openId, bool subscribed, CancellationToken cancellationToken)
    {
        await chat.SetAsync(account, openId, subscribed, cancellationToken);
        if (wechat.CurrentValue.Accounts.TryGetValue(account, out var options) && options.AppId.Length > 0)
        {
            await preferences.SetAsync(options.AppId, openId, ReminderKinds.All.ToDictionary(k => k, _ => subscribed), cancellationToken);
        }
    }

    public ValueTask<bool?> GetAsync(string account, string openId, CancellationToken cancellationToken) => chat.GetAsync(account, openId, cancellationToken);
}
