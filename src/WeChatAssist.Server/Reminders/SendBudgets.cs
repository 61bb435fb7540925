using System.Globalization;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Reminders;

/// <summary>The daily message budget per app id and quota day (<c>send_budgets</c>), shared by every node. A
/// dispatcher takes a whole batch's share before sending and gives back the share of every row WeChat did not
/// accept, so at the end of a day <c>used</c> counts the messages WeChat accepted, as WeChat's own quota counts
/// successful calls.</summary>
internal sealed class SendBudgets(DatabaseTarget database)
{
    /// <summary>Takes up to <paramref name="wanted"/> sends from the app's budget for the quota day; returns how many
    /// were granted (0 when the budget is used up).</summary>
    public async Task<int> ReserveAsync(string appId, DateOnly day, int wanted, int dailyBudget, CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var ensure = connection.CreateCommand())
        {
            ensure.Transaction = transaction;
            ensure.CommandText = "INSERT INTO send_budgets (app_id, day, used) VALUES (@app, @day, 0) ON CONFLICT (app_id, day) DO NOTHING";
            ensure.AddParameter("@app", appId);
            ensure.AddParameter("@day", SqlValues.Date(provider, day));
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }

        int used;
        await using (var read = connection.CreateCommand())
        {
            // FOR UPDATE: two nodes reserving at once queue on the row instead of both reading the same "used".
            read.Transaction = transaction;
            read.CommandText = "SELECT used FROM send_budgets WHERE app_id = @app AND day = @day" + (provider == DatabaseProvider.Postgres ? " FOR UPDATE" : "");
            read.AddParameter("@app", appId);
            read.AddParameter("@day", SqlValues.Date(provider, day));
            used = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        var granted = Math.Clamp(dailyBudget - used, 0, wanted);
        if (granted > 0)
        {
            await using var take = connection.CreateCommand();
            take.Transaction = transaction;
            take.CommandText = "UPDATE send_budgets SET used = used + @granted WHERE app_id = @app AND day = @day";
            take.AddParameter("@granted", granted);
            take.AddParameter("@app", appId);
            take.AddParameter("@day", SqlValues.Date(provider, day));
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return granted;
    }

    /// <summary>Gives <paramref name="count"/> unsent messages back to the app's budget for the quota day, in one
    /// statement (so concurrent reservations and refunds never lose an update) and never below zero.</summary>
    public async Task RefundAsync(string appId, DateOnly day, int count, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        await using var command = database.DataSource.CreateCommand(
            "UPDATE send_budgets SET used = CASE WHEN used > @count THEN used - @count ELSE 0 END WHERE app_id = @app AND day = @day");
        command.AddParameter("@count", count);
        command.AddParameter("@app", appId);
        command.AddParameter("@day", SqlValues.Date(database.Provider, day));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
