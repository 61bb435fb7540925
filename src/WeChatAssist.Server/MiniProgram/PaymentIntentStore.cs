using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>A resident's start of a payment through the county's channel; the tax bureau's daily file confirms it later.</summary>
internal sealed record NewPaymentIntent(long ResidentId, string AppId, string OpenId, int BenefitYear, int? Tier, long AmountFen, string Channel);

/// <summary><c>payment_intents</c>: who started paying for whom, which tier, how much and through which channel.</summary>
internal sealed class PaymentIntentStore(DatabaseTarget database, TimeProvider clock)
{
    public Task<long> InsertAsync(NewPaymentIntent intent, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<long>(
            """
            INSERT INTO payment_intents (resident_id, app_id, open_id, benefit_year, tier, amount_fen, channel, created_at)
            VALUES (@ResidentId, @AppId, @OpenId, @BenefitYear, @Tier, @AmountFen, @Channel, @now) RETURNING id
            """,
            new { intent.ResidentId, intent.AppId, intent.OpenId, intent.BenefitYear, intent.Tier, intent.AmountFen, intent.Channel, now = clock.GetUtcNow() },
            cancellationToken);
}
