using Dapper;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Reminders;

/// <summary>The daily message budget per app id and quota day (<c>send_budgets</c>), shared by every node. A
/// dispatcher takes a whole batch's share before sending and holds it under its lease token
/// (<c>send_budget_holds</c>); it settles the hold chunk by chunk, keeping the messages WeChat accepted and giving
/// back the rest, and a hold whose lease expired (the node died) is given back whole by
/// <see cref="ReleaseExpiredAsync"/>. So <c>used</c> counts the messages WeChat was seen to accept, as WeChat's own
/// quota counts successful calls.</summary>
internal sealed class SendBudgets(DatabaseTarget database, ISqlDialect dialect)
{
    /// <summary>Takes up to <paramref name="wanted"/> sends from the app's budget for the quota day and holds them
    /// for the batch leased to <paramref name="leaseToken"/> until <paramref name="leaseUntil"/>; returns how many
    /// were granted (0 when the budget is used up).</summary>
    public async Task<int> ReserveAsync(string appId, DateOnly day, int wanted, int dailyBudget, string leaseToken, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO send_budgets (app_id, day, used) VALUES (@appId, @day, 0) ON CONFLICT (app_id, day) DO NOTHING", new { appId, day }, transaction, cancellationToken: cancellationToken));

        // FOR UPDATE: two nodes reserving at once queue on the row instead of both reading the same "used".
        var used = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT used FROM send_budgets WHERE app_id = @appId AND day = @day" + dialect.ForUpdate, new { appId, day }, transaction, cancellationToken: cancellationToken));
        var granted = Math.Clamp(dailyBudget - used, 0, wanted);
        if (granted > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE send_budgets SET used = used + @granted WHERE app_id = @appId AND day = @day;
                INSERT INTO send_budget_holds (lease_token, app_id, day, held, expires_at) VALUES (@leaseToken, @appId, @day, @granted, @leaseUntil)
                """,
                new { granted, appId, day, leaseToken, leaseUntil },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return granted;
    }

    /// <summary>Settles part of a batch's hold: <paramref name="accepted"/> messages stay counted and
    /// <paramref name="notAccepted"/> go back to the budget (never below zero), in one transaction. Nothing happens
    /// when the hold is gone: its lease expired and a sweep already gave it all back.</summary>
    public async Task SettleAsync(string leaseToken, string appId, int accepted, int notAccepted, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(accepted);
        ArgumentOutOfRangeException.ThrowIfNegative(notAccepted);
        if (accepted + notAccepted == 0)
        {
            return;
        }

        // Where rows are locked (PostgreSQL), the hold row is locked first; a concurrent sweep waits for it.
        var lockHold = dialect.ForUpdate.Length == 0 ? "" : "SELECT 1 FROM send_budget_holds WHERE lease_token = @leaseToken AND app_id = @appId" + dialect.ForUpdate + ";\n";
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(lockHold + """
            UPDATE send_budgets SET used = CASE WHEN used > @back THEN used - @back ELSE 0 END
            WHERE @back > 0 AND EXISTS (SELECT 1 FROM send_budget_holds h WHERE h.lease_token = @leaseToken AND h.app_id = @appId
                                        AND h.app_id = send_budgets.app_id AND h.day = send_budgets.day);
            UPDATE send_budget_holds SET held = held - @settled WHERE lease_token = @leaseToken AND app_id = @appId;
            DELETE FROM send_budget_holds WHERE lease_token = @leaseToken AND app_id = @appId AND held <= 0
            """,
            new { back = notAccepted, settled = accepted + notAccepted, leaseToken, appId },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Gives back, whole, every hold whose lease expired before <paramref name="now"/> (its dispatcher died
    /// or hung): none of its unrecorded messages was seen accepted, and a re-send that WeChat accepts takes its share
    /// again. Returns the number of messages given back.</summary>
    public async Task<int> ReleaseExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var released = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COALESCE(SUM(held), 0) FROM (SELECT held FROM send_budget_holds WHERE expires_at < @now{dialect.ForUpdate}) expired",
            new { now },
            transaction,
            cancellationToken: cancellationToken));
        if (released > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE send_budgets SET used = CASE WHEN used > held.total THEN used - held.total ELSE 0 END
                FROM (SELECT app_id, day, SUM(held) AS total FROM send_budget_holds WHERE expires_at < @now GROUP BY app_id, day) held
                WHERE send_budgets.app_id = held.app_id AND send_budgets.day = held.day;
                DELETE FROM send_budget_holds WHERE expires_at < @now
                """,
                new { now },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return released;
    }
}
