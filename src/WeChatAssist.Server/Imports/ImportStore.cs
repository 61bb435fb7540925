using System.Data.Common;
using System.Diagnostics;
using Dapper;
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

/// <summary>A new resident ready for staging: encrypted.</summary>
internal sealed record SealedResident(string IdHash, string Township, string Village, string NameEncrypted, string IdNumberEncrypted, DateOnly BirthDate, string CategoryCodes);

/// <summary>The import tables (<c>imports</c>, <c>import_problems</c>) and the set-based merge into the registry,
/// the category history and the payment ledger, all on the caller's transaction. Rows map through Dapper; what
/// differs between PostgreSQL and SQLite (binary COPY, the policy lock, ANALYZE, staging tables) is the dialect's.
/// The registry's rows are written and read by <see cref="ResidentRegistry"/>, and joined through
/// <see cref="ResidentSql"/>: no SQL here names <c>residents</c>.</summary>
internal sealed partial class ImportStore(DatabaseTarget database, ISqlDialect dialect, ILogger<ImportStore> logger) : IAsyncDisposable
{
    /// <summary>Seconds a statement of an import may take: marking half a million residents paid is one statement,
    /// longer than the 30-second default on a busy server.</summary>
    public const int BulkCommandTimeoutSeconds = 600;

    // Npgsql takes the command timeout from the connection string, also for the ledger's and participants' commands
    // that run on an import's connection; so imports get a pool of their own with a longer one.
    private readonly Lazy<DbDataSource> _bulkSource = new(() => dialect.CreateDataSource(database.ConnectionString, BulkCommandTimeoutSeconds));

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

    /// <summary>A connection for one import, with <see cref="BulkCommandTimeoutSeconds"/> as every command's timeout.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _bulkSource.Value.OpenConnectionAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_bulkSource.IsValueCreated)
        {
            await _bulkSource.Value.DisposeAsync();
        }
    }

    /// <summary>Serialises imports of one policy across nodes (PostgreSQL; SQLite's write lock already does).</summary>
    public async Task LockPolicyAsync(DbConnection connection, DbTransaction transaction, string policyId, CancellationToken cancellationToken)
    {
        if (dialect.TransactionLock is { } sql)
        {
            await connection.ExecuteScalarAsync(Command(sql, new { key = "imports:" + policyId }, transaction, cancellationToken));
        }
    }

    /// <summary>The applied import of the same file for this policy and kind, if any.</summary>
    public static Task<long?> FindAppliedAsync(DbConnection connection, DbTransaction transaction, string policyId, ImportKind kind, string sha256, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long?>(Command(
            "SELECT MIN(id) FROM imports WHERE policy_id = @policy AND kind = @kind AND file_sha256 = @sha AND status = 'applied'",
            new { policy = policyId, kind = ImportLayouts.Name(kind), sha = sha256 },
            transaction,
            cancellationToken));

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Part of the store's API: callers hold the store.")]
    public Task<long> InsertAsync(DbConnection connection, DbTransaction transaction, ImportRequest request, string sha256, string status, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<long>(Command(
            """
            INSERT INTO imports (policy_id, kind, mode, status, file_name, file_sha256, file_bytes, staff_user, started_at)
            VALUES (@policy, @kind, @mode, @status, @file, @sha, @bytes, @user, @now)
            RETURNING id
            """,
            new
            {
                policy = request.PolicyId,
                kind = ImportLayouts.Name(request.Kind),
                mode = ImportLayouts.Name(request.Mode),
                status,
                file = request.FileName.Length > 200 ? request.FileName[..200] : request.FileName,
                sha = sha256,
                bytes = (long)request.Content.Length,
                user = request.StaffUser,
                now,
            },
            transaction,
            cancellationToken));

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Part of the store's API: callers hold the store.")]
    public Task FinishAsync(DbConnection connection, DbTransaction transaction, long id, string status, ImportCounts counts, string? problem, string? batchId, long? duplicateOf, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(Command(
            """
            UPDATE imports SET status = @status, problem = @problem, total_rows = @TotalRows, error_rows = @ErrorRows, skipped_rows = @SkippedRows,
              residents_created = @ResidentsCreated, categories_opened = @CategoriesOpened, categories_closed = @CategoriesClosed,
              payments_recorded = @PaymentsRecorded, unchanged_rows = @UnchangedRows, payment_batch_id = @batch, duplicate_of = @duplicate, finished_at = @now
            WHERE id = @id
            """,
            new
            {
                status,
                problem,
                counts.TotalRows,
                counts.ErrorRows,
                counts.SkippedRows,
                counts.ResidentsCreated,
                counts.CategoriesOpened,
                counts.CategoriesClosed,
                counts.PaymentsRecorded,
                counts.UnchangedRows,
                batch = batchId,
                duplicate = duplicateOf,
                now,
                id,
            },
            transaction,
            cancellationToken));

    public Task<int> WriteProblemsAsync(DbConnection connection, DbTransaction transaction, long id, IEnumerable<ImportProblem> problems, CancellationToken cancellationToken) =>
        dialect.WriteRowsAsync(
            connection,
            transaction,
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
        await dialect.CreateTemporaryTableAsync(connection, transaction, "import_keys", keyColumns, cancellationToken);
        await StepAsync("copy import_keys", () => dialect.WriteRowsAsync(connection, transaction, "import_keys", keyColumns, hashes, h => [h], cancellationToken));
        if (dialect.Analyze("import_keys") is { } analyze)
        {
            await StepAsync("analyze import_keys", () => connection.ExecuteAsync(Command(analyze, null, transaction, cancellationToken)));
        }

        var parameters = new { policy = policyId, year = paymentYear };
        var residents = await ResidentRegistry.ReadEncryptedByHashAsync(connection, transaction, policyId, "import_keys", cancellationToken);

        List<CategorySpan> spans = !history ? [] : (await connection.QueryAsync<CategorySpan>(Command(
            $"""
            SELECT h.resident_id, h.category_code, h.valid_from AS "from", h.valid_to AS "to" FROM resident_category_history h
            JOIN {ResidentSql.Roster} r ON r.id = h.resident_id JOIN import_keys k ON k.id_hash = r.id_hash WHERE r.policy_id = @policy
            """,
            parameters,
            transaction,
            cancellationToken))).AsList();

        List<(long, int)> payments = paymentYear is null ? [] : (await connection.QueryAsync<PaymentYear>(Command(
            $"""
            SELECT p.resident_id, p.benefit_year FROM payment_events p
            JOIN {ResidentSql.Roster} r ON r.id = p.resident_id JOIN import_keys k ON k.id_hash = r.id_hash
            WHERE r.policy_id = @policy AND p.benefit_year = @year
            """,
            parameters,
            transaction,
            cancellationToken))).Select(p => (p.ResidentId, p.BenefitYear)).ToList();

        await dialect.DropTemporaryTableAsync(connection, transaction, "import_keys", cancellationToken);
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
        var ids = new Dictionary<string, long>(knownIds, StringComparer.Ordinal);
        if (residents.Count > 0)
        {
            var allocated = await ResidentRegistry.AllocateIdsAsync(connection, transaction, dialect.Provider, residents.Count, cancellationToken);
            for (var i = 0; i < residents.Count; i++)
            {
                ids[residents[i].IdHash] = allocated[i];
            }

            await StepAsync("copy residents", () => ResidentRegistry.WriteSealedAsync(connection, transaction, dialect, residents,
                r => new SealedResidentRow(ids[r.IdHash], policyId, r.Township, r.Village, r.NameEncrypted, r.IdNumberEncrypted, r.IdHash, r.BirthDate, r.CategoryCodes, null, null, now),
                cancellationToken));
        }

        if (plan.CodeUpdates.Count > 0)
        {
            await StepAsync("update category codes", () => ResidentRegistry.SetCategoryCodesAsync(
                connection, transaction, dialect, plan.CodeUpdates.Select(u => (u.Key, string.Join(',', u.Value))), cancellationToken));
        }

        if (plan.Closes.Count > 0)
        {
            BulkColumn[] columns = [new("resident_id", BulkType.Bigint), new("category_code", BulkType.Text), new("valid_to", BulkType.Date)];
            await dialect.CreateTemporaryTableAsync(connection, transaction, "import_closes", columns, cancellationToken);
            await StepAsync("copy import_closes", () => dialect.WriteRowsAsync(connection, transaction, "import_closes", columns, plan.Closes, c => [c.ResidentId, c.CategoryCode, c.To], cancellationToken));
            await StepAsync("close history", () => connection.ExecuteAsync(Command(
                """
                UPDATE resident_category_history SET valid_to = s.valid_to, closed_by_import = @import
                FROM import_closes s
                WHERE resident_category_history.resident_id = s.resident_id AND resident_category_history.category_code = s.category_code
                  AND resident_category_history.valid_to IS NULL
                """,
                new { import = importId },
                transaction,
                cancellationToken)));
            await dialect.DropTemporaryTableAsync(connection, transaction, "import_closes", cancellationToken);
        }

        if (plan.Spans.Count > 0)
        {
            BulkColumn[] columns =
            [
                new("resident_id", BulkType.Bigint), new("category_code", BulkType.Text), new("valid_from", BulkType.Date), new("valid_to", BulkType.Date),
                new("opened_by_import", BulkType.Bigint), new("closed_by_import", BulkType.Bigint),
            ];
            await StepAsync("copy history", () => dialect.WriteRowsAsync(connection, transaction, "resident_category_history", columns, plan.Spans,
                s => [ids[s.IdHash], s.CategoryCode, s.From, s.To, s.Opened ? importId : null, s.To is null ? null : importId], cancellationToken));

            // The registry check PostgreSQL's foreign key no longer makes row by row (schema 12), in one query.
            var orphans = await StepAsync("check history residents", () => connection.ExecuteScalarAsync<int>(Command(
                $"""
                SELECT COUNT(*) FROM resident_category_history h
                WHERE (h.opened_by_import = @import OR h.closed_by_import = @import) AND NOT {ResidentSql.IsRegistered("h.resident_id")}
                """,
                new { import = importId },
                transaction,
                cancellationToken)));
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
        await dialect.CreateTemporaryTableAsync(connection, transaction, "import_payments", paymentColumns, cancellationToken);
        await StepAsync("copy import_payments", () => dialect.WriteRowsAsync(connection, transaction, "import_payments", paymentColumns, plan.Payments,
            p => [ids[p.IdHash], p.BenefitYear, p.PaidOn, p.AmountFen], cancellationToken));

        // The registry join is the resident check PostgreSQL's foreign key no longer makes (schema 12). SQLite needs a
        // WHERE before ON CONFLICT in INSERT … SELECT anyway (its parser would read ON as a join constraint).
        var inserted = await StepAsync("insert payments", () => connection.ExecuteAsync(Command(
            $"""
            INSERT INTO payment_events (resident_id, benefit_year, paid_on, amount_fen, source, batch_id, recorded_at)
            SELECT p.resident_id, p.benefit_year, p.paid_on, p.amount_fen, @source, @batch, @now
            FROM import_payments p WHERE {ResidentSql.IsRegistered("p.resident_id")}
            ON CONFLICT (resident_id, benefit_year) DO NOTHING
            """,
            new { source = paymentSource, batch = batchId, now },
            transaction,
            cancellationToken)));
        await dialect.DropTemporaryTableAsync(connection, transaction, "import_payments", cancellationToken);
        return inserted;
    }

    /// <summary>The latest imports, newest first, optionally of one policy and of one uploader.</summary>
    public async Task<IReadOnlyList<ImportReport>> ListAsync(string? policyId, int limit, CancellationToken cancellationToken, string? staffUser = null) =>
        await database.QueryAsync<ImportReport>(
            $"SELECT {ReportColumns} FROM imports WHERE (@policy IS NULL OR policy_id = @policy) AND (@user IS NULL OR staff_user = @user) ORDER BY id DESC LIMIT @limit",
            new { policy = policyId, user = staffUser, limit },
            cancellationToken);

    public Task<ImportReport?> GetAsync(long id, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<ImportReport>($"SELECT {ReportColumns} FROM imports WHERE id = @id", new { id }, cancellationToken);

    /// <summary>The import's row problems in row order, read as they stream (errors.csv may list every row of a large
    /// file); at most <paramref name="limit"/> when given.</summary>
    public async IAsyncEnumerable<ImportProblemRow> ProblemsAsync(long id, int? limit, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var sql = """
            SELECT row_number AS "row", column_name AS "column", severity, code, reason, id_masked AS id_number, name_masked AS name, township, village
            FROM import_problems WHERE import_id = @id ORDER BY row_number
            """ + (limit is null ? "" : " LIMIT @limit");
        await foreach (var problem in connection.QueryUnbufferedAsync<ImportProblemRow>(sql, new { id, limit }).WithCancellation(cancellationToken))
        {
            yield return problem;
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

    // Every statement of an import may take as long as the bulk pool allows (SQLite's connections included).
    private static CommandDefinition Command(string sql, object? parameters, DbTransaction transaction, CancellationToken cancellationToken) =>
        new(sql, parameters, transaction, BulkCommandTimeoutSeconds, cancellationToken: cancellationToken);

    private sealed record PaymentYear(long ResidentId, int BenefitYear);
}
