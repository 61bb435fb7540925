using System.Data.Common;
using Dapper;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Imports;

/// <summary>What changed a resident's categories: an import (<c>imports.id</c>) or an approved registration
/// correction (<c>corrections.id</c>).</summary>
internal readonly record struct CategorySource(long? ImportId, long? CorrectionId)
{
    public static CategorySource Import(long importId) => new(importId, null);

    public static CategorySource Correction(long correctionId) => new(null, correctionId);
}

/// <summary>How many history spans one change opened and closed.</summary>
internal readonly record struct CategoryHistoryChange(int Opened, int Closed);

/// <summary><c>resident_category_history</c>: which subsidised categories a resident held, from when to when, and
/// which import or correction opened or closed each span. Read for the staff console and the corrections review;
/// written here for one resident at a time (a correction), in bulk by <see cref="ImportStore"/> with the same rules.</summary>
internal sealed class CategoryHistory(DatabaseTarget database)
{
    /// <summary>One span; <see cref="From"/> is null when the category predates the history, <see cref="To"/> is
    /// the exit day or null while it holds.</summary>
    internal sealed record Span(
        string CategoryCode,
        DateOnly? From,
        DateOnly? To,
        long? OpenedByImport,
        long? ClosedByImport,
        long? OpenedByCorrection = null,
        long? ClosedByCorrection = null);

    /// <summary>The resident's spans, oldest first (unknown starts first).</summary>
    public async Task<IReadOnlyList<Span>> ListAsync(long residentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await ListAsync(connection, null, residentId, cancellationToken);
    }

    /// <summary>The categories the resident held on <paramref name="day"/> by the history (a span that ends on a
    /// day does not hold on it: the exit date is the first day without the category).</summary>
    public async Task<IReadOnlyList<string>> HeldOnAsync(long residentId, DateOnly day, CancellationToken cancellationToken) =>
        [.. (await ListAsync(residentId, cancellationToken))
            .Where(s => (s.From is null || s.From <= day) && (s.To is null || day < s.To))
            .Select(s => s.CategoryCode)
            .Distinct(StringComparer.Ordinal)];

    /// <summary>Records, inside the caller's transaction, that the resident's categories went from
    /// <paramref name="before"/> to <paramref name="after"/> on <paramref name="day"/> — what a change list's
    /// 退出/新增 rows do. A category left closes its open span on <paramref name="day"/> (the first day without it;
    /// never before the span's start), or, held before the history began, gets a span with an unknown start
    /// that ends that day. A category gained opens a span from <paramref name="day"/> unless one is open already; a
    /// category kept that has no open span is confirmed by one with an unknown start and no source.
    /// The caller changes <c>residents.category_codes</c> itself and should hold the policy's import lock
    /// (<see cref="ImportStore.LockPolicyAsync"/>) so an import cannot plan on the codes being replaced.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Part of the store's API: callers hold the store.")]
    public async Task<CategoryHistoryChange> RecordChangeAsync(
        DbConnection connection,
        DbTransaction transaction,
        long residentId,
        IReadOnlyCollection<string> before,
        IReadOnlyCollection<string> after,
        DateOnly day,
        CategorySource source,
        CancellationToken cancellationToken)
    {
        var open = (await ListAsync(connection, transaction, residentId, cancellationToken))
            .Where(s => s.To is null)
            .ToDictionary(s => s.CategoryCode, StringComparer.Ordinal);
        var (opened, closed) = (0, 0);
        foreach (var code in before.Except(after, StringComparer.Ordinal))
        {
            if (open.TryGetValue(code, out var span))
            {
                await ExecuteAsync(connection, transaction, """
                    UPDATE resident_category_history SET valid_to = @day, closed_by_import = @import, closed_by_correction = @correction
                    WHERE resident_id = @resident AND category_code = @code AND valid_to IS NULL
                    """, residentId, code, span.From is { } from && from > day ? from : day, source, cancellationToken);
            }
            else
            {
                await ExecuteAsync(connection, transaction, """
                    INSERT INTO resident_category_history (resident_id, category_code, valid_from, valid_to, closed_by_import, closed_by_correction)
                    VALUES (@resident, @code, NULL, @day, @import, @correction)
                    """, residentId, code, day, source, cancellationToken);
            }

            closed++;
        }

        // A kept category the history does not know yet was held before it began: confirmed with an unknown start,
        // as a total list confirms it.
        foreach (var code in after.Intersect(before, StringComparer.Ordinal).Where(c => !open.ContainsKey(c)))
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO resident_category_history (resident_id, category_code, valid_from, valid_to)
                VALUES (@resident, @code, NULL, NULL)
                """, residentId, code, day, source, cancellationToken);
        }

        foreach (var code in after.Except(before, StringComparer.Ordinal).Where(c => !open.ContainsKey(c)))
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO resident_category_history (resident_id, category_code, valid_from, valid_to, opened_by_import, opened_by_correction)
                VALUES (@resident, @code, @day, NULL, @import, @correction)
                """, residentId, code, day, source, cancellationToken);
            opened++;
        }

        return new CategoryHistoryChange(opened, closed);
    }

    private static async Task<IReadOnlyList<Span>> ListAsync(DbConnection connection, DbTransaction? transaction, long residentId, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<Span>(new CommandDefinition(
            """
            SELECT category_code, valid_from AS "from", valid_to AS "to", opened_by_import, closed_by_import, opened_by_correction, closed_by_correction
            FROM resident_category_history
            WHERE resident_id = @resident ORDER BY valid_from IS NOT NULL, valid_from, id
            """,
            new { resident = residentId },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    private static Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, long residentId, string code, DateOnly day, CategorySource source, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { resident = residentId, code, day, import = source.ImportId, correction = source.CorrectionId },
            transaction,
            cancellationToken: cancellationToken));
}
