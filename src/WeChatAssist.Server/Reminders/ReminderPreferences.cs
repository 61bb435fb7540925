using Dapper;
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
        var now = clock.GetUtcNow();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (kind, wants) in wanted)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO reminder_preferences (app_id, open_id, kind, opted_out, updated_at) VALUES (@appId, @openId, @kind, @optedOut, @now)
                ON CONFLICT (app_id, open_id, kind) DO UPDATE SET opted_out = excluded.opted_out, updated_at = excluded.updated_at
                """,
                new { appId, openId, kind, optedOut = database.Dialect.Flag(!wants), now },
                transaction,
                cancellationToken: cancellationToken));
            if (!wants)
            {
                await ReminderOutbox.CancelOptedOutAsync(connection, transaction, appId, openId, kind, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The follower's stated choices (kinds never stated are absent: they are wanted).</summary>
    public async Task<IReadOnlyDictionary<string, bool>> GetAsync(string appId, string openId, CancellationToken cancellationToken)
    {
        var choices = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var row in await database.QueryAsync<PreferenceRow>(
            "SELECT kind, opted_out FROM reminder_preferences WHERE app_id = @appId AND open_id = @openId", new { appId, openId }, cancellationToken))
        {
            choices[row.Kind] = !row.OptedOut;
        }

        return choices;
    }

    private sealed record PreferenceRow(string Kind, bool OptedOut);
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
