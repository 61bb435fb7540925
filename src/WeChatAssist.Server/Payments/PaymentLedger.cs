using System.Data.Common;
using System.Globalization;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Payments;

/// <summary>Records confirmed payments in <c>payment_events</c>, marks the residents paid, and lets every
/// <see cref="IPaymentsRecordedParticipant"/> react in the same transaction.</summary>
/// <remarks>Idempotent per resident and benefit year: recording a payment twice adds nothing the second time and
/// keeps the first day. Bulk imports insert their rows themselves (e.g. binary COPY into staging, then
/// <c>INSERT … SELECT … ON CONFLICT DO NOTHING</c> with a batch id from <see cref="NewBatchId"/>) and then call
/// <see cref="CompleteBatchAsync"/> on their own transaction. On PostgreSQL <c>payment_events</c> has no row-by-row
/// foreign key to <c>residents</c> (schema 12): every insert joins the registry instead.</remarks>
internal sealed class PaymentLedger(DatabaseTarget database, IEnumerable<IPaymentsRecordedParticipant> participants, TimeProvider clock)
{
    /// <summary>A fresh batch id for <c>payment_events.batch_id</c>.</summary>
    public static string NewBatchId() => Guid.NewGuid().ToString("N");

    /// <summary>Records <paramref name="payments"/> in one transaction; <paramref name="source"/> says where they came
    /// from (<c>tax-file</c>, <c>staff</c>, <c>demo</c>).</summary>
    public async Task<PaymentBatch> RecordAsync(IReadOnlyCollection<PaymentRecord> payments, string source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var batchId = NewBatchId();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recorded = 0;
        var now = clock.GetUtcNow();
        foreach (var payment in payments)
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"""
                INSERT INTO payment_events (resident_id, benefit_year, paid_on, amount_fen, source, batch_id, recorded_at)
                SELECT @resident, @year, @paidOn, @amount, @source, @batch, @now WHERE {ResidentSql.IsRegistered("@resident")}
                ON CONFLICT (resident_id, benefit_year) DO NOTHING
                """;
            insert.AddParameter("@resident", payment.ResidentId);
            insert.AddParameter("@year", payment.BenefitYear);
            insert.AddParameter("@paidOn", SqlValues.Date(database.Provider, payment.PaidOn));
            insert.AddParameter("@amount", payment.AmountFen);
            insert.AddParameter("@source", source);
            insert.AddParameter("@batch", batchId);
            insert.AddInstant(database.Provider, "@now", now);
            var inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
            if (inserted == 0 && !await ResidentRegistry.IsRegisteredAsync(connection, transaction, payment.ResidentId, cancellationToken))
            {
                throw new ArgumentException($"Resident {payment.ResidentId} is not in the registry; nothing was recorded.", nameof(payments));
            }

            recorded += inserted;
        }

        await CompleteBatchAsync(connection, transaction, batchId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new PaymentBatch(batchId, recorded);
    }

    /// <summary>Marks the residents of batch <paramref name="batchId"/> paid and runs the participants, on the
    /// caller's transaction. Returns how many payments the batch holds.</summary>
    public async Task<int> CompleteBatchAsync(DbConnection connection, DbTransaction transaction, string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // The registry marks its residents (a later benefit year wins) from the batch's rows, in one statement.
        await ResidentRegistry.MarkPaidAsync(
            connection, transaction, "SELECT resident_id, benefit_year, paid_on FROM payment_events WHERE batch_id = @batch", new { batch = batchId }, cancellationToken);

        foreach (var participant in participants)
        {
            await participant.OnPaymentsRecordedAsync(connection, transaction, batchId, cancellationToken);
        }

        await using var count = connection.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = "SELECT COUNT(*) FROM payment_events WHERE batch_id = @batch";
        count.AddParameter("@batch", batchId);
        return Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
