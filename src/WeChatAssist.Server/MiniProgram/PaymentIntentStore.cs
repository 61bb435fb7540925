using System.Globalization;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>A resident's start of a payment through the county's channel; the tax bureau's daily file confirms it later.</summary>
internal sealed record NewPaymentIntent(long ResidentId, string AppId, string OpenId, int BenefitYear, int? Tier, long AmountFen, string Channel);

/// <summary><c>payment_intents</c>: who started paying for whom, which tier, how much and through which channel.</summary>
internal sealed class PaymentIntentStore(DatabaseTarget database, TimeProvider clock)
{
    public async Task<long> InsertAsync(NewPaymentIntent intent, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO payment_intents (resident_id, app_id, open_id, benefit_year, tier, amount_fen, channel, created_at)
            VALUES (@resident, @app, @open, @year, @tier, @amount, @channel, @now) RETURNING id
            """;
        command.AddParameter("@resident", intent.ResidentId);
        command.AddParameter("@app", intent.AppId);
        command.AddParameter("@open", intent.OpenId);
        command.AddParameter("@year", intent.BenefitYear);
        command.AddParameter("@tier", intent.Tier);
        command.AddParameter("@amount", intent.AmountFen);
        command.AddParameter("@channel", intent.Channel);
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
