using WeChatAssist.Policy;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Demo;

/// <summary>Writes generated residents (through <see cref="ResidentRegistry.WriteSealedAsync"/>), bindings and payments
/// in one transaction through <see cref="BulkRows"/> (binary COPY on PostgreSQL, prepared inserts on SQLite). Names and
/// ID numbers are encrypted and hashed in parallel first.</summary>
internal sealed class DemoCountyWriter(DatabaseTarget database, ResidentRegistry registry, PersonalDataProtector protector, TimeProvider clock)
{
    private const string PaymentSource = "demo";

    private static readonly BulkColumn[] BindingColumns =
    [
        new("app_id", BulkType.Text), new("open_id", BulkType.Text), new("resident_id", BulkType.Bigint), new("relation", BulkType.Text), new("created_at", BulkType.Instant),
    ];

    private static readonly BulkColumn[] PaymentColumns =
    [
        new("resident_id", BulkType.Bigint), new("benefit_year", BulkType.Integer), new("paid_on", BulkType.Date), new("amount_fen", BulkType.Integer),
        new("source", BulkType.Text), new("batch_id", BulkType.Text), new("recorded_at", BulkType.Instant),
    ];

    /// <summary>How many residents <paramref name="policyId"/> already has.</summary>
    public Task<long> CountResidentsAsync(string policyId, CancellationToken cancellationToken) => registry.CountAsync(policyId, cancellationToken);

    public async Task WriteAsync(InsurancePolicy policy, string? appId, IReadOnlyList<DemoResident> residents, CancellationToken cancellationToken)
    {
        var sealedRows = new (string Name, string IdNumber, string Hash)[residents.Count];
        Parallel.For(0, residents.Count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var resident = residents[i];
            sealedRows[i] = (protector.Protect(resident.Name), protector.Protect(resident.IdNumber), protector.LookupHash(resident.IdNumber));
        });

        var now = clock.GetUtcNow();
        var batchId = PaymentLedger.NewBatchId();
        var provider = database.Provider;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Ids are reserved first so bindings and payments can refer to the rows.
        var ids = await ResidentRegistry.AllocateIdsAsync(connection, transaction, provider, residents.Count, cancellationToken);
        var indexes = Enumerable.Range(0, residents.Count).ToArray();
        await ResidentRegistry.WriteSealedAsync(connection, transaction, database.Dialect, indexes, i =>
        {
            var r = residents[i];
            return new SealedResidentRow(ids[i], policy.Id, r.Township, r.Village, sealedRows[i].Name, sealedRows[i].IdNumber, sealedRows[i].Hash, r.BirthDate, r.Category ?? "",
                r.PaidOn is null ? null : policy.BenefitYear, r.PaidOn, now);
        }, cancellationToken);

        if (appId is not null)
        {
            await BulkRows.WriteAsync(connection, transaction, provider, "resident_bindings", BindingColumns, indexes.Where(i => residents[i].OpenId is not null),
                i => [appId, residents[i].OpenId, ids[i], "self", now], cancellationToken);
        }

        await BulkRows.WriteAsync(connection, transaction, provider, "payment_events", PaymentColumns, indexes.Where(i => residents[i].PaidOn is not null),
            i => [ids[i], policy.BenefitYear, residents[i].PaidOn, residents[i].AmountFen is { } fen ? checked((int)fen) : null, PaymentSource, batchId, now], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
