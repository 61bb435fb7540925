using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Imports;

/// <summary>Reads <c>resident_category_history</c>: which subsidised categories a resident held, from when to when,
/// and which import opened or closed each span. For the staff console and the corrections review.</summary>
internal sealed class CategoryHistory(DatabaseTarget database)
{
    /// <summary>One span; <see cref="From"/> is null when the category predates the history, <see cref="To"/> is
    /// the exit day or null while it holds.</summary>
    internal sealed record Span(string CategoryCode, DateOnly? From, DateOnly? To, long? OpenedByImport, long? ClosedByImport);

    /// <summary>The resident's spans, oldest first (unknown starts first).</summary>
    public async Task<IReadOnlyList<Span>> ListAsync(long residentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT category_code, valid_from, valid_to, opened_by_import, closed_by_import FROM resident_category_history
            WHERE resident_id = @resident ORDER BY valid_from IS NOT NULL, valid_from, id
            """;
        command.AddParameter("@resident", residentId);
        var spans = new List<Span>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            spans.Add(new Span(
                reader.GetString(0),
                reader.GetDate(database.Provider, 1),
                reader.GetDate(database.Provider, 2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return spans;
    }

    /// <summary>The categories the resident held on <paramref name="day"/> by the history (a span that ends on a
    /// day does not hold on it: the exit date is the first day without the category).</summary>
    public async Task<IReadOnlyList<string>> HeldOnAsync(long residentId, DateOnly day, CancellationToken cancellationToken) =>
        [.. (await ListAsync(residentId, cancellationToken))
            .Where(s => (s.From is null || s.From <= day) && (s.To is null || day < s.To))
            .Select(s => s.CategoryCode)
            .Distinct(StringComparer.Ordinal)];
}
