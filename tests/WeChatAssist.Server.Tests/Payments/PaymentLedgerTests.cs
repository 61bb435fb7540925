using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Payments;

/// <summary>The payment ledger on both providers: residents marked paid, re-recording adds nothing, participants
/// see the batch inside the transaction and can roll it back.</summary>
public sealed class PaymentLedgerTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Recording_a_payment_marks_the_resident_paid_and_recording_it_again_adds_nothing(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        var seen = new BatchWatcher();
        await using var server = await StartAsync(onPostgres, sqlite, seen);
        var paying = await server.SeedAsync("张三丰", TestIds.Next());
        var other = await server.SeedAsync("李四光", TestIds.Next());
        var ledger = server.Services.GetRequiredService<PaymentLedger>();

        var first = await ledger.RecordAsync([new PaymentRecord(paying, 2024, new DateOnly(2023, 11, 20), 38000)], "staff", CancellationToken.None);
        var again = await ledger.RecordAsync([new PaymentRecord(paying, 2024, new DateOnly(2023, 12, 1))], "tax-file", CancellationToken.None);

        Assert.Equal(1, first.Recorded);
        Assert.Equal(0, again.Recorded);
        Assert.Equal([1, 0], seen.RowsPerBatch);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM residents WHERE id = {paying} AND paid_year = 2024"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM residents WHERE id = {other} AND paid_year IS NOT NULL"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM payment_events WHERE resident_id = {paying} AND source = 'staff'"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_failing_participant_rolls_the_whole_recording_back(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await StartAsync(onPostgres, sqlite, new BatchWatcher { Fail = true });
        var resident = await server.SeedAsync("王五", TestIds.Next());
        var ledger = server.Services.GetRequiredService<PaymentLedger>();

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ledger.RecordAsync([new PaymentRecord(resident, 2024, new DateOnly(2023, 11, 20))], "staff", CancellationToken.None));

        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM payment_events"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM residents WHERE id = {resident} AND paid_year IS NOT NULL"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_older_benefit_year_recorded_late_does_not_unmark_a_newer_one(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await StartAsync(onPostgres, sqlite, new BatchWatcher());
        var resident = await server.SeedAsync("赵六", TestIds.Next());
        var ledger = server.Services.GetRequiredService<PaymentLedger>();

        await ledger.RecordAsync([new PaymentRecord(resident, 2024, new DateOnly(2023, 11, 20))], "tax-file", CancellationToken.None);
        await ledger.RecordAsync([new PaymentRecord(resident, 2023, new DateOnly(2022, 11, 20))], "tax-file", CancellationToken.None);

        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM residents WHERE id = {resident} AND paid_year = 2024"));
        Assert.Equal(2, await server.CountAsync($"SELECT COUNT(*) FROM payment_events WHERE resident_id = {resident}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_payment_for_someone_not_in_the_registry_is_refused_and_the_batch_records_nothing(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await StartAsync(onPostgres, sqlite, new BatchWatcher());
        var resident = await server.SeedAsync("孙七", TestIds.Next());
        var unknown = resident + 1000;
        var ledger = server.Services.GetRequiredService<PaymentLedger>();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => ledger.RecordAsync(
            [new PaymentRecord(resident, 2024, new DateOnly(2023, 11, 20)), new PaymentRecord(unknown, 2024, new DateOnly(2023, 11, 20))], "staff", CancellationToken.None));

        Assert.Contains(unknown.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM payment_events"));
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM residents WHERE paid_year IS NOT NULL"));
    }

    [Fact]
    public async Task On_PostgreSQL_a_resident_with_payments_or_category_history_can_be_neither_deleted_nor_renumbered()
    {
        await using var server = await StartAsync(true, null!, new BatchWatcher());
        var paying = await server.SeedAsync("周八", TestIds.Next());
        var notPaying = await server.SeedAsync("吴九", TestIds.Next());
        var withHistory = await server.SeedAsync("郑十", TestIds.Next());
        await server.Services.GetRequiredService<PaymentLedger>().RecordAsync([new PaymentRecord(paying, 2024, new DateOnly(2023, 11, 20))], "staff", CancellationToken.None);
        var target = server.Services.GetRequiredService<DatabaseTarget>();

        var deleted = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Databases.ScalarAsync(target, $"DELETE FROM residents WHERE id = {paying}"));
        var renumbered = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Databases.ScalarAsync(target, $"UPDATE residents SET id = id + 1000000 WHERE id = {paying}"));
        await Databases.ScalarAsync(target, $"INSERT INTO resident_category_history (resident_id, category_code, valid_from) VALUES ({withHistory}, 'dibao', DATE '2023-01-01')");
        var historyDeleted = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Databases.ScalarAsync(target, $"DELETE FROM residents WHERE id = {withHistory}"));
        await Databases.ScalarAsync(target, $"DELETE FROM residents WHERE id = {notPaying}");

        Assert.Equal(Npgsql.PostgresErrorCodes.ForeignKeyViolation, deleted.SqlState);
        Assert.Equal(Npgsql.PostgresErrorCodes.ForeignKeyViolation, renumbered.SqlState);
        Assert.Equal(Npgsql.PostgresErrorCodes.ForeignKeyViolation, historyDeleted.SqlState);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM residents WHERE id = {paying}"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM residents WHERE id = {notPaying}"));
    }

    private async Task<ResidentServer> StartAsync(bool onPostgres, TempSqliteFile sqlite, BatchWatcher watcher) =>
        await ResidentServer.StartAsync(
            onPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            onPostgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString,
            services: s => s.AddSingleton<IPaymentsRecordedParticipant>(watcher));

    /// <summary>Counts the batch's rows from inside the recording transaction; can be told to fail.</summary>
    private sealed class BatchWatcher : IPaymentsRecordedParticipant
    {
        public List<int> RowsPerBatch { get; } = [];

        public bool Fail { get; init; }

        public async Task OnPaymentsRecordedAsync(DbConnection connection, DbTransaction transaction, string batchId, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT COUNT(*) FROM payment_events WHERE batch_id = @batch";
            command.AddParameter("@batch", batchId);
            RowsPerBatch.Add(Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture));
            if (Fail)
            {
                throw new InvalidOperationException("participant refused");
            }
        }
    }
}
