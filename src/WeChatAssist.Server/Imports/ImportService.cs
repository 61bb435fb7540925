using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Payments;

namespace WeChatAssist.Server.Imports;

/// <summary>Checks and applies an uploaded list: read the file, check every row (in parallel), read what the
/// registry holds for those people, decide row by row, then apply set-based in one transaction — or nothing, when
/// a row has an error. Called by the admin API and the staff console's upload page.</summary>
internal sealed partial class ImportService(
    ImportStore store,
    PolicyCatalog catalog,
    ResidentWords words,
    ImportVocabulary texts,
    [FromKeyedServices(ProblemTextKeys.Imports)] ProblemTexts problemTexts,
    PersonalDataProtector protector,
    PaymentLedger ledger,
    BusinessClock businessClock,
    TimeProvider clock,
    IOptions<ImportOptions> options,
    ILogger<ImportService> logger)
{
    /// <summary>The <c>payment_events.source</c> of payments from the tax bureau's file.</summary>
    public const string TaxSource = "tax-file";

    /// <summary>The <c>payment_events.source</c> of last year's payments from the enrollment list.</summary>
    public const string EnrollmentSource = "enrollment";

    /// <summary>Runs one import and records it in the history, whatever the outcome; see <see cref="ImportResult"/>.</summary>
    /// <exception cref="ArgumentException">The policy id is unknown (callers check with <see cref="PolicyCatalog.Find"/>).</exception>
    public async Task<ImportResult> RunAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var policy = catalog.Find(request.PolicyId) ?? throw new ArgumentException($"Unknown policy '{request.PolicyId}'.", nameof(request));
        var started = Stopwatch.GetTimestamp();
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(request.Content));
        var today = businessClock.Today();

        CheckedFile file;
        try
        {
            file = CheckFile(request, policy, today, cancellationToken);
        }
        catch (ImportFileException ex)
        {
            return await RecordUnreadableAsync(request, sha256, ex, cancellationToken);
        }

        var (rows, problems, total, header) = file;
        var checkedAt = Stopwatch.GetTimestamp();
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await store.LockPolicyAsync(connection, transaction, request.PolicyId, cancellationToken);
        var now = clock.GetUtcNow();
        if (request.Mode == ImportMode.Apply && await ImportStore.FindAppliedAsync(connection, transaction, request.PolicyId, request.Kind, sha256, cancellationToken) is { } earlier)
        {
            var duplicateId = await store.InsertAsync(connection, transaction, request, sha256, ImportStatus.Duplicate, now, cancellationToken);
            await store.FinishAsync(connection, transaction, duplicateId, ImportStatus.Duplicate, new ImportCounts(total, 0, 0, 0, 0, 0, 0, total), null, null, earlier, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            ImportMetrics.Imported(ImportLayouts.Name(request.Kind), ImportStatus.Duplicate, total, started);
            LogImport(logger, duplicateId, request.PolicyId, ImportLayouts.Name(request.Kind), ImportStatus.Duplicate, total, Stopwatch.GetElapsedTime(started).TotalMilliseconds, Stopwatch.GetElapsedTime(started, checkedAt).TotalMilliseconds, 0);
            return await LoadResultAsync(duplicateId, cancellationToken);
        }

        var importId = await store.InsertAsync(connection, transaction, request, sha256, request.Mode == ImportMode.Apply ? ImportStatus.Applied : ImportStatus.Validated, now, cancellationToken);
        RegistrySnapshot snapshot = null!;
        await store.StepAsync("registry read", async () =>
        {
            snapshot = await LoadSnapshotAsync(connection, transaction, request, policy, rows, cancellationToken);
            return snapshot.ByHash.Count;
        });
        var plan = ImportPlan.Build(request.Kind, rows, snapshot, texts, header, code => policy.FindCategoryByCode(code)?.Name ?? code);
        problems.AddRange(plan.Problems);
        var plannedAt = Stopwatch.GetTimestamp();
        var errorRows = problems.Where(p => p.Severity == ImportSeverity.Error).Select(p => p.RowNumber).Distinct().Count();
        var skippedRows = problems.Where(p => p.Severity == ImportSeverity.Skipped).Select(p => p.RowNumber).Distinct().Count();

        string status;
        string? batchId = null;
        var payments = plan.Payments.Count;
        if (request.Mode == ImportMode.Validate)
        {
            status = ImportStatus.Validated;
        }
        else if (errorRows > 0)
        {
            status = ImportStatus.Rejected;
        }
        else
        {
            status = ImportStatus.Applied;
            batchId = plan.Payments.Count > 0 ? PaymentLedger.NewBatchId() : null;
            payments = await ApplyAsync(connection, transaction, importId, request, snapshot, plan, batchId, now, cancellationToken);
        }

        problems.Sort((a, b) => a.RowNumber.CompareTo(b.RowNumber));
        await store.StepAsync("write problems", () => store.WriteProblemsAsync(connection, transaction, importId, problems, cancellationToken));
        var counts = new ImportCounts(total, errorRows, skippedRows, plan.NewResidents.Count, plan.CategoriesOpened, plan.CategoriesClosed, payments, plan.Unchanged + (plan.Payments.Count - payments));
        await store.FinishAsync(connection, transaction, importId, status, counts, null, batchId, null, clock.GetUtcNow(), cancellationToken);
        await store.StepAsync("commit", async () =>
        {
            await transaction.CommitAsync(cancellationToken);
            return 0;
        });
        ImportMetrics.Imported(ImportLayouts.Name(request.Kind), status, total, started);
        LogImport(logger, importId, request.PolicyId, ImportLayouts.Name(request.Kind), status, total, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            Stopwatch.GetElapsedTime(started, checkedAt).TotalMilliseconds, Stopwatch.GetElapsedTime(checkedAt, plannedAt).TotalMilliseconds);
        return await LoadResultAsync(importId, cancellationToken);
    }

    /// <summary>Reads the file and checks every row (in parallel: ID numbers, hashes, categories, dates…), then drops
    /// repeated rows. Throws <see cref="ImportFileException"/> when the file itself is unusable.</summary>
    private CheckedFile CheckFile(ImportRequest request, InsurancePolicy policy, DateOnly today, CancellationToken cancellationToken)
    {
        using var file = SpreadsheetFile.Open(request.Content);
        var table = ImportTable.Open(file, request.Kind, texts);
        var validator = new ImportRowValidator(request.Kind, policy, words, texts, protector, table.Headers, today, request.AsOf ?? today, request.Township);
        var source = table.Rows().ToList();
        if (source.Count == 0)
        {
            throw new ImportFileException("fileNoRows", ("row", table.HeaderRow));
        }

        var checkedRows = source.AsParallel().AsOrdered().WithCancellation(cancellationToken).Select(validator.Validate).ToList();
        List<ImportProblem> problems = [.. checkedRows.Where(r => r.Problems is not null).SelectMany(r => r.Problems!)];
        var rows = RemoveDuplicates(request.Kind, checkedRows.Where(r => r.Row is not null).Select(r => r.Row!), problems, validator.Header);
        return new CheckedFile(rows, problems, source.Count, validator.Header);
    }

    /// <summary>Encrypts the new residents (in parallel), writes the plan and completes the payment batch, all on the
    /// import's transaction. Returns the payments recorded.</summary>
    private async Task<int> ApplyAsync(
        System.Data.Common.DbConnection connection,
        System.Data.Common.DbTransaction transaction,
        long importId,
        ImportRequest request,
        RegistrySnapshot snapshot,
        ImportPlan plan,
        string? batchId,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var sealStarted = Stopwatch.GetTimestamp();
        var sealedResidents = plan.NewResidents.AsParallel().AsOrdered().WithCancellation(cancellationToken).Select(r => new SealedResident(
            r.IdHash, r.Township, r.Village, protector.Protect(r.Name), protector.Protect(r.IdNumber.Value), r.IdNumber.BirthDate, string.Join(',', r.CategoryCodes))).ToList();
        LogStep(logger, "encrypt new residents", sealedResidents.Count, Stopwatch.GetElapsedTime(sealStarted).TotalMilliseconds);
        var knownIds = snapshot.ByHash.ToDictionary(r => r.Key, r => r.Value.Id, StringComparer.Ordinal);
        var payments = await store.ApplyAsync(connection, transaction, importId, request.PolicyId, sealedResidents, knownIds, plan,
            request.Kind == ImportKind.Tax ? TaxSource : EnrollmentSource, batchId ?? "", now, cancellationToken);
        if (batchId is not null)
        {
            await store.StepAsync("complete payment batch", () => ledger.CompleteBatchAsync(connection, transaction, batchId, cancellationToken));
        }

        return payments;
    }

    /// <summary>The report of import <paramref name="id"/> with its first problems, or null.</summary>
    public async Task<ImportResult?> FindAsync(long id, CancellationToken cancellationToken)
    {
        var report = await store.GetAsync(id, cancellationToken);
        if (report is null)
        {
            return null;
        }

        var problems = new List<ImportProblemRow>();
        await foreach (var problem in store.ProblemsAsync(id, options.Value.ReportProblemLimit, cancellationToken))
        {
            problems.Add(problem);
        }

        return new ImportResult(report, problems);
    }

    private async Task<ImportResult> LoadResultAsync(long id, CancellationToken cancellationToken) =>
        await FindAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Import {id} was not recorded.");

    private async Task<ImportResult> RecordUnreadableAsync(ImportRequest request, string sha256, ImportFileException ex, CancellationToken cancellationToken)
    {
        var detail = problemTexts.Detail(ex.Code, [.. ex.Values]);
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var id = await store.InsertAsync(connection, transaction, request, sha256, ImportStatus.Unreadable, now, cancellationToken);
        await store.FinishAsync(connection, transaction, id, ImportStatus.Unreadable, new ImportCounts(0, 0, 0, 0, 0, 0, 0, 0), detail, null, null, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogUnreadable(logger, id, request.PolicyId, ImportLayouts.Name(request.Kind), ex.Code);
        return (await LoadResultAsync(id, cancellationToken)) with { ProblemCode = ex.Code };
    }

    private async Task<RegistrySnapshot> LoadSnapshotAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, ImportRequest request, InsurancePolicy policy, List<ValidRow> rows, CancellationToken cancellationToken)
    {
        var hashes = rows.Select(r => r.IdHash).Distinct(StringComparer.Ordinal).ToList();
        var paymentYear = request.Kind switch
        {
            ImportKind.Tax => policy.BenefitYear,
            ImportKind.Enrollment => policy.BenefitYear - 1,
            _ => (int?)null,
        };
        var (residents, history, payments) = await store.LoadAsync(connection, transaction, request.PolicyId, hashes, request.Kind is ImportKind.Hardship or ImportKind.Changes, paymentYear, cancellationToken);
        var snapshot = new RegistrySnapshot();

        // Names are compared, so the matched residents' names are decrypted — in parallel, AES-GCM is cheap.
        foreach (var resident in residents.AsParallel().WithCancellation(cancellationToken).Select(r =>
            new KeyValuePair<string, RegisteredResident>(r.IdHash, new RegisteredResident(r.Id, protector.Unprotect(r.NameEncrypted), r.CategoryCodes.Split(',', StringSplitOptions.RemoveEmptyEntries)))))
        {
            snapshot.ByHash[resident.Key] = resident.Value;
        }

        snapshot.History.AddRange(history);
        foreach (var payment in payments)
        {
            snapshot.Payments.Add(payment);
        }

        return snapshot;
    }

    // A row repeating an earlier one (same person, and the same category or benefit year) is an error; in the tax
    // file it is skipped, the first row counts. One ID number with two names is an error everywhere.
    private List<ValidRow> RemoveDuplicates(ImportKind kind, IEnumerable<ValidRow> rows, List<ImportProblem> problems, Func<ImportColumn, string> header)
    {
        var kept = new List<ValidRow>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = new Dictionary<string, (string Name, int Row)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            void Problem(ImportSeverity severity, ImportColumn column, string code, int other) =>
                problems.Add(new ImportProblem(row.Number, header(column), severity, code, texts.Reason(code, ("row", other)), row.IdNumber.ToString(), PersonalDataMask.Name(row.Name), row.Township, row.Village));

            if (names.TryGetValue(row.IdHash, out var first) && !string.Equals(first.Name, row.Name, StringComparison.Ordinal))
            {
                Problem(ImportSeverity.Error, ImportColumn.Name, "nameConflictInFile", first.Row);
                continue;
            }

            names.TryAdd(row.IdHash, (row.Name, row.Number));
            var key = kind switch
            {
                ImportKind.Hardship or ImportKind.Changes => row.IdHash + "|" + row.CategoryCode,
                ImportKind.Tax => row.IdHash + "|" + row.BenefitYear,
                _ => row.IdHash,
            };
            if (seen.TryGetValue(key, out var earlier))
            {
                Problem(kind == ImportKind.Tax ? ImportSeverity.Skipped : ImportSeverity.Error, ImportColumn.IdNumber, "duplicate", earlier);
                continue;
            }

            seen.Add(key, row.Number);
            kept.Add(row);
        }

        return kept;
    }

    /// <summary>A file's rows that passed the checks, every problem so far, the data row count, header names.</summary>
    private sealed record CheckedFile(List<ValidRow> Rows, List<ImportProblem> Problems, int Total, Func<ImportColumn, string> Header);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Import {ImportId} ({Kind}, policy {PolicyId}) finished {Status}: {Rows} rows in {ElapsedMs:F0} ms (file read and rows checked in {CheckMs:F0} ms, registry read and plan in {PlanMs:F0} ms, the rest applying)")]
    private static partial void LogImport(ILogger logger, long importId, string policyId, string kind, string status, int rows, double elapsedMs, double checkMs, double planMs);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Debug, Message = "Import step {Step}: {Rows} rows in {ElapsedMs:F0} ms")]
    private static partial void LogStep(ILogger logger, string step, int rows, double elapsedMs);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Import {ImportId} ({Kind}, policy {PolicyId}) could not read the file: {Code}")]
    private static partial void LogUnreadable(ILogger logger, long importId, string policyId, string kind, string code);
}
