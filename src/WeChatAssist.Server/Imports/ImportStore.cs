using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Imports;

/// <summary>Counts an import finishes with.</summary>
internal sealed record ImportCounts(
    int TotalRows,
    int ErrorRows,
    int SkippedRows,
    int ResidentsCreated,
    int CategoriesOpened,
    int CategoriesClosed,
    int PaymentsRecorded,
    int UnchangedRows);

/// <summary>A registry row as the import reads it, name still encrypted.</summary>
internal sealed record EncryptedResident(long Id, string IdHash, string NameEncrypted, string CategoryCodes);

/// <summary>A new resident ready for staging: encrypted.</summary>
internal sealed record SealedResident(string IdHash, string Township, string Village, string NameEncrypted, string IdNumberEncrypted, DateOnly BirthDate, string CategoryCodes);

/// <summary>The import tables (<c>imports</c>, <c>import_problems</c>) and the set-based merge into the registry,
/// the category history and the payment ledger, all on the caller's transaction.</summary>
internal sealed partial class ImportStore(DatabaseTarget database, ILogger<ImportStore> logger) : IAsyncDisposable
{
    /// <summary>Seconds a statement of an import may take: marking half a million residents paid is one statement,
    /// longer than the 30-second default on a busy server.</summary>
    public const int BulkCommandTimeoutSeconds = 600;

    // Npgsql takes the command timeout from the connection string, also for the ledger's and participants' commands
    // that run on an import's connection; so imports get a pool of their own with a longer one.
    private readonly Lazy<DbDataSource> _bulkSource = new(() => database.Provider == DatabaseProvider.Postgres
        ? new Npgsql.NpgsqlDataSourceBuilder(database.ConnectionString) { ConnectionStringBuilder = { CommandTimeout = BulkCommandTimeoutSeconds } }.Build()
        : database.DataSource);

    private const string ReportColumns = """
        id, policy_id, kind, mode, status, file_name, file_sha256, file_bytes, staff_user, problem, total_rows, error_rows, skipped_rows,
        residents_created, categories_opened, categories_closed, payments_recorded, unchanged_rows, payment_batch_id, duplicate_of, started_at, finished_at
        """;

    private static readonly BulkColumn[] ProblemColumns =
    [
        new("import_id", BulkType.Bigint), new("row_number", BulkType.Integer), new("column_name", BulkType.Text), new("severity", BulkType.Text),
        new("code", BulkType.Text), new("reason", BulkType.Text), new("id_masked", BulkType.Text), new("name_masked", BulkType.Text),
        new("township", BulkType.Text), new("village", BulkType.Text),
    ];

    public DatabaseProvider Provider => database.Provider;

    /// <summary>A connection for one import, with <see cref="BulkCommandTimeoutSeconds"/> as every command's timeout.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _bulkSource.Value.OpenConnectionAsync(cancellationToken);
        if (connection is Microsoft.Data.Sqlite.SqliteConnection sqlite)
        {
            sqlite.DefaultTimeout = BulkCommandTimeoutSeconds;
        }

        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (_bulkSource.IsValueCreated && database.Provider == DatabaseProvider.Postgres)
        {
            await _bulkSource.Value.DisposeAsync();
        }
    }

    /// <summary>Serialises imports of one policy across nodes (PostgreSQL; SQLite's write lock already does).</summary>
    public async Task LockPolicyAsync(DbConnection connection, DbTransaction transaction, string policyId, CancellationToken cancellationToken)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "SELECT pg_advisory_xact_lock(hashtext(@key))";
            command.AddParameter("@key", "imports:" + policyId);
            await command.ExecuteScalarAsync(cancellationToken);
        }
    }

    /// <summary>The applied import of the same file for this policy and kind, if any.</summary>
    public static async Task<long?> FindAppliedAsync(DbConnection connection, DbTransaction transaction, string policyId, ImportKind kind, string sha256, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT MIN(id) FROM imports WHERE policy_id = @policy AND kind = @kind AND file_sha256 = @sha AND status = 'applied'";
        command.AddParameter("@policy", policyId);
        command.AddParameter("@kind", ImportLayouts.Name(kind));
        command.AddParameter("@sha", sha256);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    public async Task<long> InsertAsync(DbConnection connection, DbTransaction transaction, ImportRequest request, string sha256, string status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO imports (policy_id, kind, mode, status, file_name, file_sha256, file_bytes, staff_user, started_at)
            VALUES (@policy, @kind, @mode, @status, @file, @sha, @bytes, @user, @now)
            RETURNING id
            """;
        command.AddParameter("@policy", request.PolicyId);
        command.AddParameter("@kind", ImportLayouts.Name(request.Kind));
        command.AddParameter("@mode", ImportLayouts.Name(request.Mode));
        command.AddParameter("@status", status);
        command.AddParameter("@file", request.FileName.Length > 200 ? request.FileName[..200] : request.FileName);
        command.AddParameter("@sha", sha256);
        command.AddParameter("@bytes", (long)request.Content.Length);
        command.AddParameter("@user", request.StaffUser);
        command.AddInstant(database.Provider, "@now", now);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task FinishAsync(DbConnection connection, DbTransaction transaction, long id, string status, ImportCounts counts, string? problem, string? batchId, long? duplicateOf, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await BulkRows.ExecuteAsync(
            connection,
            transaction,
            """
            UPDATE imports SET status = @status, problem = @problem, total_rows = @total, error_rows = @errors, skipped_rows = @skipped,
              residents_created = @created, categories_opened = @opened, categories_closed = @closed, payments_recorded = @payments,
              unchanged_rows = @unchanged, payment_batch_id = @batch, duplicate_of = @duplicate, finished_at = @now
            WHERE id = @id
            """,
            cancellationToken,
            ("@status", status),
            ("@problem", problem),
            ("@total", counts.TotalRows),
            ("@errors", counts.ErrorRows),
            ("@skipped", counts.SkippedRows),
            ("@created", counts.ResidentsCreated),
            ("@opened", counts.CategoriesOpened),
            ("@closed", counts.CategoriesClosed),
            ("@payments", counts.PaymentsRecorded),
            ("@unchanged", counts.UnchangedRows),
            ("@batch", batchId),
            ("@duplicate", duplicateOf),
            ("@now", database.Provider == DatabaseProvider.Postgres ? now.ToUniversalTime() : now.ToUnixTimeMilliseconds()),
            ("@id", id));
    }

    public Task<int> WriteProblemsAsync(DbConnection connection, DbTransaction transaction, long id, IEnumerable<ImportProblem> problems, CancellationToken cancellationToken) =>
        BulkRows.WriteAsync(
            connection,
            transaction,
            database.Provider,
            "import_problems",
            ProblemColumns,
            problems,
            p => [id, p.RowNumber, p.Column, p.Severity == ImportSeverity.Error ? "error" : "skipped", p.Code, p.Reason, p.IdMasked, p.NameMasked, p.Township, p.Village],
            cancellationToken);

    /// <summary>Stages the file's lookup hashes and reads what the registry holds for them: residents, their category
    /// history (for the department lists) and their payments for <paramref name="paymentYear"/>.</summary>
    public async Task<(List<EncryptedResident> Residents, List<CategorySpan> History, List<(long, int)> Payments)> LoadAsync(
        DbConnection connection,
        DbTransaction transaction,
        string policyId,
        IReadOnlyCollection<string> hashes,
        bool history,
        int? paymentYear,
        CancellationToken cancellationToken)
    {
        BulkColumn[] keyColumns = [new("id_hash", BulkType.Text)];
        await BulkRows.CreateTempAsync(connection, transaction, database.Provider, "import_keys", keyColumns, cancellationToken);
        await StepAsync("copy import_keys", () => BulkRows.WriteAsync(connection, transaction, database.Provider, "import_keys", keyColumns, hashes, h => [h], cancellationToken));
        if (database.Provider == DatabaseProvider.Postgres)
        {
            await StepAsync("analyze import_keys", () => BulkRows.ExecuteAsync(connection, transaction, "ANALYZE import_keys", cancellationToken));
        }

        var residents = new List<EncryptedResident>();
        await using (var command = Command(connection, transaction, "SELECT r.id, r.id_hash, r.name_encrypted, r.category_codes FROM residents r JOIN import_keys k ON k.id_hash = r.id_hash WHERE r.policy_id = @policy", policyId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                residents.Add(new EncryptedResident(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
            }
        }

        var spans = new List<CategorySpan>();
        if (history)
        {
            await using var command = Command(connection, transaction, """
                SELECT h.resident_id, h.category_code, h.valid_from, h.valid_to FROM resident_category_history h
                JOIN residents r ON r.id = h.resident_id JOIN import_keys k ON k.id_hash = r.id_hash WHERE r.policy_id = @policy
                """, policyId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                spans.Add(new CategorySpan(reader.GetInt64(0), reader.GetString(1), reader.GetDate(database.Provider, 2), reader.GetDate(database.Provider, 3)));
            }
        }

        var payments = new List<(long, int)>();
        if (paymentYear is { } year)
        {
            await using var command = Command(connection, transaction, """
                SELECT p.resident_id, p.benefit_year FROM payment_events p
                JOIN residents r ON r.id = p.resident_id JOIN import_keys k ON k.id_hash = r.id_hash
                WHERE r.policy_id = @policy AND p.benefit_year = @year
                """, policyId);
            command.AddParameter("@year", year);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                payments.Add((reader.GetInt64(0), reader.GetInt32(1)));
            }
        }

        await BulkRows.DropAsync(connection, transaction, database.Provider, "import_keys", cancellationToken);
        return (residents, spans, payments);
    }

    /// <summary>Applies the plan: new residents and history rows are written straight into their tables with
    /// resident ids allocated up front (binary COPY on PostgreSQL); category codes, closed history rows and payments go
    /// through staging and one set-based statement each. Payments use <c>ON CONFLICT DO NOTHING</c>, so one recorded
    /// meanwhile is kept. Returns the payments inserted.</summary>
    /// <remarks>The registry was read in this transaction under the policy's import lock, so the new residents are
    /// not there; should a single registration of the same person commit in between, the unique index refuses the
    /// import whole and it can simply be run again.</remarks>
    public async Task<int> ApplyAsync(
        DbConnection connection,
        DbTransaction transaction,
        long importId,
        string policyId,
        IReadOnlyList<SealedResident> residents,
        IReadOnlyDictionary<string, long> knownIds,
        ImportPlan plan,
        string paymentSource,
        string batchId,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        var ids = new Dictionary<string, long>(knownIds, StringComparer.Ordinal);
        if (residents.Count > 0)
        {
            var allocated = await ResidentRegistry.AllocateIdsAsync(connection, transaction, provider, residents.Count, cancellationToken);
            for (var i = 0; i < residents.Count; i++)
            {
                ids[residents[i].IdHash] = allocated[i];
            }

            BulkColumn[] columns =
            [
                new("id", BulkType.Bigint), new("policy_id", BulkType.Text), new("township", BulkType.Text), new("village", BulkType.Text),
                new("name_encrypted", BulkType.Text), new("id_number_encrypted", BulkType.Text), new("id_hash", BulkType.Text),
                new("birth_date", BulkType.Date), new("category_codes", BulkType.Text), new("created_at", BulkType.Instant),
            ];
            await StepAsync("copy residents", () => BulkRows.WriteAsync(connection, transaction, provider, "residents", columns, residents,
                r => [ids[r.IdHash], policyId, r.Township, r.Village, r.NameEncrypted, r.IdNumberEncrypted, r.IdHash, r.BirthDate, r.CategoryCodes, now], cancellationToken));
        }

        if (plan.CodeUpdates.Count > 0)
        {
            BulkColumn[] columns = [new("resident_id", BulkType.Bigint), new("category_codes", BulkType.Text)];
            await BulkRows.CreateTempAsync(connection, transaction, provider, "import_codes", columns, cancellationToken);
            await StepAsync("copy import_codes", () => BulkRows.WriteAsync(connection, transaction, provider, "import_codes", columns, plan.CodeUpdates, u => [u.Key, string.Join(',', u.Value)], cancellationToken));
            await StepAsync("update category codes", () => BulkRows.ExecuteAsync(connection, transaction,
                "UPDATE residents SET category_codes = s.category_codes FROM import_codes s WHERE residents.id = s.resident_id", cancellationToken));
            await BulkRows.DropAsync(connection, transaction, provider, "import_codes", cancellationToken);
        }

        if (plan.Closes.Count > 0)
        {
            BulkColumn[] columns = [new("resident_id", BulkType.Bigint), new("category_code", BulkType.Text), new("valid_to", BulkType.Date)];
            await BulkRows.CreateTempAsync(connection, transaction, provider, "import_closes", columns, cancellationToken);
            await StepAsync("copy import_closes", () => BulkRows.WriteAsync(connection, transaction, provider, "import_closes", columns, plan.Closes, c => [c.ResidentId, c.CategoryCode, c.To], cancellationToken));
            await StepAsync("close history", () => BulkRows.ExecuteAsync(connection, transaction, """
                UPDATE resident_category_history SET valid_to = s.valid_to, closed_by_import = @import
                FROM import_closes s
                WHERE resident_category_history.resident_id = s.resident_id AND resident_category_history.category_code = s.category_code
                  AND resident_category_history.valid_to IS NULL
                """, cancellationToken, ("@import", importId)));
            await BulkRows.DropAsync(connection, transaction, provider, "import_closes", cancellationToken);
        }

        if (plan.Spans.Count > 0)
        {
            BulkColumn[] columns =
            [
                new("resident_id", BulkType.Bigint), new("category_code", BulkType.Text), new("valid_from", BulkType.Date), new("valid_to", BulkType.Date),
                new("opened_by_import", BulkType.Bigint), new("closed_by_import", BulkType.Bigint),
            ];
            await StepAsync("copy history", () => BulkRows.WriteAsync(connection, transaction, provider, "resident_category_history", columns, plan.Spans,
                s => [ids[s.IdHash], s.CategoryCode, s.From, s.To, s.Opened ? importId : null, s.To is null ? null : importId], cancellationToken));

            // The registry check PostgreSQL's foreign key no longer makes row by row (schema 12), in one query.
            var orphans = await StepAsync("check history residents", async () =>
            {
                await using var check = connection.CreateCommand();
                check.Transaction = transaction;
                check.CommandTimeout = 600;
                check.CommandText = """
                    SELECT COUNT(*) FROM resident_category_history h
                    WHERE (h.opened_by_import = @import OR h.closed_by_import = @import) AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.id = h.resident_id)
                    """;
                check.AddParameter("@import", importId);
                return Convert.ToInt32(await check.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            });
            if (orphans > 0)
            {
                throw new InvalidOperationException($"Import {importId} wrote category history for {orphans} resident ids not in the registry; nothing was applied.");
            }
        }

        if (plan.Payments.Count == 0)
        {
            return 0;
        }

        BulkColumn[] paymentColumns = [new("resident_id", BulkType.Bigint), new("benefit_year", BulkType.Integer), new("paid_on", BulkType.Date), new("amount_fen", BulkType.Integer)];
        await BulkRows.CreateTempAsync(connection, transaction, provider, "import_payments", paymentColumns, cancellationToken);
        await StepAsync("copy import_payments", () => BulkRows.WriteAsync(connection, transaction, provider, "import_payments", paymentColumns, plan.Payments,
            p => [ids[p.IdHash], p.BenefitYear, p.PaidOn, p.AmountFen], cancellationToken));

        // The registry join is the resident check PostgreSQL's foreign key no longer makes (schema 12). SQLite needs a
        // WHERE before ON CONFLICT in INSERT … SELECT anyway (its parser would read ON as a join constraint).
        var inserted = await StepAsync("insert payments", () => BulkRows.ExecuteAsync(connection, transaction, """
            INSERT INTO payment_events (resident_id, benefit_year, paid_on, amount_fen, source, batch_id, recorded_at)
            SELECT p.resident_id, p.benefit_year, p.paid_on, p.amount_fen, @source, @batch, @now
            FROM import_payments p WHERE EXISTS (SELECT 1 FROM residents r WHERE r.id = p.resident_id)
            ON CONFLICT (resident_id, benefit_year) DO NOTHING
            """, cancellationToken, ("@source", paymentSource), ("@batch", batchId), ("@now", provider == DatabaseProvider.Postgres ? now.ToUniversalTime() : now.ToUnixTimeMilliseconds())));
        await BulkRows.DropAsync(connection, transaction, provider, "import_payments", cancellationToken);
        return inserted;
    }

    /// <summary>The latest imports, newest first, optionally of one policy and of one uploader.</summary>
    public async Task<IReadOnlyList<ImportReport>> ListAsync(string? policyId, int limit, CancellationToken cancellationToken, string? staffUser = null)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ReportColumns} FROM imports WHERE (@policy IS NULL OR policy_id = @policy) AND (@user IS NULL OR staff_user = @user) ORDER BY id DESC LIMIT @limit";
        command.AddText("@policy", policyId);
        command.AddText("@user", staffUser);
        command.AddParameter("@limit", limit);
        return await ReadReportsAsync(command, cancellationToken);
    }

    public async Task<ImportReport?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ReportColumns} FROM imports WHERE id = @id";
        command.AddParameter("@id", id);
        var rows = await ReadReportsAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The import's row problems in row order; at most <paramref name="limit"/> when given.</summary>
    public async IAsyncEnumerable<ImportProblemRow> ProblemsAsync(long id, int? limit, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT row_number, column_name, severity, code, reason, id_masked, name_masked, township, village FROM import_problems WHERE import_id = @id ORDER BY row_number"
            + (limit is null ? "" : " LIMIT @limit");
        command.AddParameter("@id", id);
        if (limit is { } l)
        {
            command.AddParameter("@limit", l);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ImportProblemRow(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8));
        }
    }

    /// <summary>Runs <paramref name="action"/> and logs (Debug) how long it took, for tuning bulk imports.</summary>
    public async Task<int> StepAsync(string step, Func<Task<int>> action)
    {
        var started = Stopwatch.GetTimestamp();
        var rows = await action();
        LogStep(logger, step, rows, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return rows;
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Debug, Message = "Import step {Step}: {Rows} rows in {ElapsedMs:F0} ms")]
    private static partial void LogStep(ILogger logger, string step, int rows, double elapsedMs);

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, string policyId)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 600;
        command.AddParameter("@policy", policyId);
        return command;
    }

    private async Task<List<ImportReport>> ReadReportsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<ImportReport>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ImportReport(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.GetString(6),
                reader.GetInt64(7),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.GetInt32(10),
                reader.GetInt32(11),
                reader.GetInt32(12),
                reader.GetInt32(13),
                reader.GetInt32(14),
                reader.GetInt32(15),
                reader.GetInt32(16),
                reader.GetInt32(17),
                reader.IsDBNull(18) ? null : reader.GetString(18),
                reader.IsDBNull(19) ? null : reader.GetInt64(19),
                reader.GetInstant(database.Provider, 20),
                reader.IsDBNull(21) ? null : reader.GetInstant(database.Provider, 21)));
        }

        return rows;
    }
}
