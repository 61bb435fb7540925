using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WeChatAssist.Policy;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.Demo;

/// <summary>Writes generated residents, bindings and payments in one transaction: binary COPY on PostgreSQL,
/// prepared inserts on SQLite. Names and ID numbers are encrypted and hashed in parallel first.</summary>
internal sealed class DemoCountyWriter(DatabaseTarget database, PersonalDataProtector protector, TimeProvider clock)
{
    private const string PaymentSource = "demo";

    /// <summary>How many residents <paramref name="policyId"/> already has.</summary>
    public async Task<long> CountResidentsAsync(string policyId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM residents WHERE policy_id = @policy";
        command.AddParameter("@policy", policyId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>The first free resident id (ids are assigned here so bindings and payments can refer to them).</summary>
    public async Task<long> NextResidentIdAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(id), 0) + 1 FROM residents";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

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
        if (database.Provider == DatabaseProvider.Postgres)
        {
            await WritePostgresAsync(policy, appId, residents, sealedRows, now, batchId, cancellationToken);
        }
        else
        {
            await WriteSqliteAsync(policy, appId, residents, sealedRows, now, batchId, cancellationToken);
        }
    }

    private async Task WritePostgresAsync(InsurancePolicy policy, string? appId, IReadOnlyList<DemoResident> residents, (string Name, string IdNumber, string Hash)[] sealedRows, DateTimeOffset now, string batchId, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = now.ToUniversalTime();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY residents (id, policy_id, township, village, name_encrypted, id_number_encrypted, id_hash, birth_date, category_codes, paid_year, paid_on, created_at) FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            for (var i = 0; i < residents.Count; i++)
            {
                var r = residents[i];
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(policy.Id, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Township, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Village, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(sealedRows[i].Name, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(sealedRows[i].IdNumber, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(sealedRows[i].Hash, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.BirthDate, NpgsqlDbType.Date, cancellationToken);
                await copy.WriteAsync(r.Category ?? "", NpgsqlDbType.Text, cancellationToken);
                if (r.PaidOn is { } paidOn)
                {
                    await copy.WriteAsync(policy.BenefitYear, NpgsqlDbType.Integer, cancellationToken);
                    await copy.WriteAsync(paidOn, NpgsqlDbType.Date, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                    await copy.WriteNullAsync(cancellationToken);
                }

                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (appId is not null)
        {
            await using var copy = await connection.BeginBinaryImportAsync(
                "COPY resident_bindings (app_id, open_id, resident_id, relation, created_at) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var r in residents)
            {
                if (r.OpenId is null)
                {
                    continue;
                }

                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(appId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.OpenId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(r.Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync("self", NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY payment_events (resident_id, benefit_year, paid_on, amount_fen, source, batch_id, recorded_at) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var r in residents)
            {
                if (r.PaidOn is not { } paidOn)
                {
                    continue;
                }

                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(r.Id, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(policy.BenefitYear, NpgsqlDbType.Integer, cancellationToken);
                await copy.WriteAsync(paidOn, NpgsqlDbType.Date, cancellationToken);
                if (r.AmountFen is { } fen)
                {
                    await copy.WriteAsync(checked((int)fen), NpgsqlDbType.Integer, cancellationToken);
                }
                else
                {
                    await copy.WriteNullAsync(cancellationToken);
                }

                await copy.WriteAsync(PaymentSource, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(batchId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        // Explicit ids bypassed the sequence; later inserts must continue after them.
        await using (var sequence = connection.CreateCommand())
        {
            sequence.Transaction = transaction;
            sequence.CommandText = "SELECT setval(pg_get_serial_sequence('residents', 'id'), (SELECT MAX(id) FROM residents))";
            await sequence.ExecuteScalarAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task WriteSqliteAsync(InsurancePolicy policy, string? appId, IReadOnlyList<DemoResident> residents, (string Name, string IdNumber, string Hash)[] sealedRows, DateTimeOffset now, string batchId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var at = now.ToUnixTimeMilliseconds();
        await using var resident = Prepare(connection, transaction, """
            INSERT INTO residents (id, policy_id, township, village, name_encrypted, id_number_encrypted, id_hash, birth_date, category_codes, paid_year, paid_on, created_at)
            VALUES (@id, @policy, @township, @village, @name, @number, @hash, @birth, @categories, @paidYear, @paidOn, @at)
            """, "@id", "@policy", "@township", "@village", "@name", "@number", "@hash", "@birth", "@categories", "@paidYear", "@paidOn", "@at");
        await using var binding = Prepare(connection, transaction, """
            INSERT INTO resident_bindings (app_id, open_id, resident_id, relation, created_at) VALUES (@app, @open, @resident, 'self', @at)
            """, "@app", "@open", "@resident", "@at");
        await using var payment = Prepare(connection, transaction, """
            INSERT INTO payment_events (resident_id, benefit_year, paid_on, amount_fen, source, batch_id, recorded_at)
            VALUES (@resident, @year, @paidOn, @amount, @source, @batch, @at)
            """, "@resident", "@year", "@paidOn", "@amount", "@source", "@batch", "@at");
        for (var i = 0; i < residents.Count; i++)
        {
            var r = residents[i];
            var paidOn = SqlValues.Date(DatabaseProvider.Sqlite, r.PaidOn);
            await ExecuteAsync(resident, cancellationToken, r.Id, policy.Id, r.Township, r.Village, sealedRows[i].Name, sealedRows[i].IdNumber, sealedRows[i].Hash,
                SqlValues.Date(DatabaseProvider.Sqlite, r.BirthDate), r.Category ?? "", r.PaidOn is null ? null : policy.BenefitYear, paidOn, at);
            if (appId is not null && r.OpenId is not null)
            {
                await ExecuteAsync(binding, cancellationToken, appId, r.OpenId, r.Id, at);
            }

            if (r.PaidOn is not null)
            {
                await ExecuteAsync(payment, cancellationToken, r.Id, policy.BenefitYear, paidOn, r.AmountFen, PaymentSource, batchId, at);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static DbCommand Prepare(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.AddParameter(name, null);
        }

        return command;
    }

    private static Task<int> ExecuteAsync(DbCommand command, CancellationToken cancellationToken, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteNonQueryAsync(cancellationToken);
    }
}
