using System.Globalization;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Reminders;

/// <summary>The daily message budget per app id and quota day (<c>send_budgets</c>), shared by every node. A
/// dispatcher takes a whole batch's share before sending and holds it under its lease token
/// (<c>send_budget_holds</c>); it settles the hold chunk by chunk, keeping the messages WeChat accepted and giving
/// back the rest, and a hold whose lease expired (the node died) is given back whole by
/// <see cref="ReleaseExpiredAsync"/>. So <c>used</c> counts the messages WeChat was seen to accept, as WeChat's own
/// quota counts successful calls.</summary>
internal sealed class SendBudgets(DatabaseTarget database)
{
    /// <summary>Takes up to <paramref name="wanted"/> sends from the app's budget for the quota day and holds them
    /// for the batch leased to <paramref name="leaseToken"/> until <paramref name="leaseUntil"/>; returns how many
    /// were granted (0 when the budget is used up).</summary>
    public async Task<int> ReserveAsync(string appId, DateOnly day, int wanted, int dailyBudget, string leaseToken, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var ensure = connection.Command(transaction, "INSERT INTO send_budgets (app_id, day, used) VALUES (@app, @day, 0) ON CONFLICT (app_id, day) DO NOTHING"))
        {
            ensure.AddParameter("@app", appId);
            ensure.AddParameter("@day", SqlValues.Date(provider, day));
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }

        int used;
        await using (var read = connection.Command(transaction, "SELECT used FROM send_budgets WHERE app_id = @app AND day = @day" + (provider == DatabaseProvider.Postgres ? " FOR UPDATE" : "")))
        {
            // FOR UPDATE: two nodes reserving at once queue on the row instead of both reading the same "used".
            read.AddParameter("@app", appId);
            read.AddParameter("@day", SqlValues.Date(provider, day));
            used = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        var granted = Math.Clamp(dailyBudget - used, 0, wanted);
        if (granted > 0)
        {
            await using var take = connection.Command(transaction, """
                UPDATE send_budgets SET used = used + @granted WHERE app_id = @app AND day = @day;
                INSERT INTO send_budget_holds (lease_token, app_id, day, held, expires_at) VALUES (@token, @app, @day, @granted, @until)
                """);
            take.AddParameter("@granted", granted);
            take.AddParameter("@app", appId);
            take.AddParameter("@day", SqlValues.Date(provider, day));
            take.AddParameter("@token", leaseToken);
            take.AddInstant(provider, "@until", leaseUntil);
            await take.ExecuteNonQueryAsync(cancellationToken);
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

        var postgres = database.Provider == DatabaseProvider.Postgres;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var settle = connection.Command(transaction, $"""
            UPDATE send_budgets SET used = CASE WHEN used > @back THEN used - @back ELSE 0 END
            WHERE @back > 0 AND EXISTS (SELECT 1 FROM send_budget_holds h WHERE h.lease_token = @token AND h.app_id = @app
                                        AND h.app_id = send_budgets.app_id AND h.day = send_budgets.day);
            UPDATE send_budget_holds SET held = held - @settled WHERE lease_token = @token AND app_id = @app;
            DELETE FROM send_budget_holds WHERE lease_token = @token AND app_id = @app AND held <= 0
            """))
        {
            settle.AddParameter("@back", notAccepted);
            settle.AddParameter("@settled", accepted + notAccepted);
            settle.AddParameter("@token", leaseToken);
            settle.AddParameter("@app", appId);
            if (postgres)
            {
                // The hold row is locked by the first statement that touches it; a concurrent sweep waits for it.
                settle.CommandText = "SELECT 1 FROM send_budget_holds WHERE lease_token = @token AND app_id = @app FOR UPDATE;\n" + settle.CommandText;
            }

            await settle.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Gives back, whole, every hold whose lease expired before <paramref name="now"/> (its dispatcher died
    /// or hung): none of its unrecorded messages was seen accepted, and a re-send that WeChat accepts takes its share
    /// again. Returns the number of messages given back.</summary>
    public async Task<int> ReleaseExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        int released;
        await using (var total = connection.Command(transaction,
            "SELECT COALESCE(SUM(held), 0) FROM " + (provider == DatabaseProvider.Postgres
                ? "(SELECT held FROM send_budget_holds WHERE expires_at < @now FOR UPDATE) expired"
                : "send_budget_holds WHERE expires_at < @now")))
        {
            total.AddInstant(provider, "@now", now);
            released = Convert.ToInt32(await total.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        if (released > 0)
        {
            await using var release = connection.Command(transaction, """
                UPDATE send_budgets SET used = CASE WHEN used > held.total THEN used - held.total ELSE 0 END
                FROM (SELECT app_id, day, SUM(held) AS total FROM send_budget_holds WHERE expires_at < @now GROUP BY app_id, day) held
                WHERE send_budgets.app_id = held.app_id AND send_budgets.day = held.day;
                DELETE FROM send_budget_holds WHERE expires_at < @now
                """);
            release.AddInstant(provider, "@now", now);
            await release.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return released;
    }
}
