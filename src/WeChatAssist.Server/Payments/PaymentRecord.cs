namespace WeChatAssist.Server.Payments;

/// <summary>One confirmed contribution: who paid for which benefit year, on which day, and how much if known.</summary>
/// <param name="ResidentId">The registry row (<c>residents.id</c>).</param>
/// <param name="BenefitYear">The year the contribution covers (e.g. 2024 for the 2023 autumn collection).</param>
/// <param name="PaidOn">The payment day as the tax bureau reports it.</param>
/// <param name="AmountFen">The amount in fen, or <see langword="null"/> when the source does not say.</param>
internal sealed record PaymentRecord(long ResidentId, int BenefitYear, DateOnly PaidOn, int? AmountFen = null);

/// <summary>What one recording did: its batch id and how many payments were new (a re-recorded payment adds nothing).</summary>
internal sealed record PaymentBatch(string BatchId, int Recorded);
