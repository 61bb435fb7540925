namespace WeChatAssist.Server.Imports;

/// <summary>A data row with its cells placed by <see cref="ImportColumn"/> (empty when the file lacks the column).</summary>
internal sealed record SourceRow(int Number, string[] Values)
{
    public string this[ImportColumn column] => Values[(int)column];
}

/// <summary>Finds the header row of a sheet (the notices' forms put a title, the department and a date above it),
/// maps its cells to columns, and yields the data rows below it.</summary>
internal sealed class ImportTable
{
    /// <summary>How many rows from the top may precede the header.</summary>
    public const int HeaderSearchRows = 10;

    private readonly IEnumerator<SheetRow> _rows;
    private readonly int?[] _map;

    private ImportTable(IEnumerator<SheetRow> rows, int headerRow, int?[] map, IReadOnlyDictionary<ImportColumn, string> headers)
    {
        _rows = rows;
        HeaderRow = headerRow;
        _map = map;
        Headers = headers;
    }

    /// <summary>The header's row number.</summary>
    public int HeaderRow { get; }

    /// <summary>The header text the file uses for each column it has, for problem reports.</summary>
    public IReadOnlyDictionary<ImportColumn, string> Headers { get; }

    /// <summary>Opens the first sheet of <paramref name="file"/> whose top rows hold a header with an ID number
    /// column, and checks that header against the layout of <paramref name="kind"/>.</summary>
    /// <exception cref="ImportFileException">No such sheet, or missing, unknown or repeated columns.</exception>
    public static ImportTable Open(SpreadsheetFile file, ImportKind kind, ImportVocabulary texts)
    {
        foreach (var sheet in file.Sheets)
        {
            var rows = sheet.ReadRows().GetEnumerator();
            try
            {
                for (var i = 0; i < HeaderSearchRows && rows.MoveNext(); i++)
                {
                    if (rows.Current.Cells.Any(c => texts.MatchHeader(c) == ImportColumn.IdNumber))
                    {
                        return FromHeader(rows, rows.Current, kind, texts);
                    }
                }
            }
            catch
            {
                rows.Dispose();
                throw;
            }

            rows.Dispose();
        }

        if (file.Sheets.Count == 1 && file.Sheets[0].Name == "csv")
        {
            throw new ImportFileException("fileNoHeader", ("rows", HeaderSearchRows), ("kind", texts.KindName(kind)));
        }

        throw new ImportFileException("fileNoSheet", ("sheets", string.Join("、", file.Sheets.Select(s => s.Name))), ("rows", HeaderSearchRows));
    }

    /// <summary>The data rows, blank ones (and the forms' "……" and footnote lines without name or ID number) left out.</summary>
    public IEnumerable<SourceRow> Rows()
    {
        using (_rows)
        {
            while (_rows.MoveNext())
            {
                var row = _rows.Current;
                var values = new string[ImportLayouts.ColumnCount];
                for (var column = 0; column < values.Length; column++)
                {
                    values[column] = _map[column] is { } index && index < row.Cells.Length ? row.Cells[index].Trim() : "";
                }

                if (values[(int)ImportColumn.IdNumber].Length == 0 && values[(int)ImportColumn.Name].Length == 0)
                {
                    continue;
                }

                yield return new SourceRow(row.Number, values);
            }
        }
    }

    private static ImportTable FromHeader(IEnumerator<SheetRow> rows, SheetRow header, ImportKind kind, ImportVocabulary texts)
    {
        var map = new int?[ImportLayouts.ColumnCount];
        var headers = new Dictionary<ImportColumn, string>();
        var allowed = ImportLayouts.Required(kind).Concat(ImportLayouts.Optional(kind)).ToHashSet();
        var unknown = new List<string>();
        for (var index = 0; index < header.Cells.Length; index++)
        {
            var text = header.Cells[index].Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (texts.MatchHeader(text) is not { } column || !allowed.Contains(column))
            {
                unknown.Add(text);
                continue;
            }

            if (map[(int)column] is not null)
            {
                throw new ImportFileException("fileDuplicateColumns", ("row", header.Number), ("column", text));
            }

            map[(int)column] = index;
            headers[column] = text;
        }

        var missing = ImportLayouts.Required(kind).Where(c => map[(int)c] is null).Select(texts.ColumnName).ToList();
        if (missing.Count > 0)
        {
            throw new ImportFileException("fileMissingColumns", ("kind", texts.KindName(kind)), ("row", header.Number), ("columns", string.Join("、", missing)));
        }

        if (unknown.Count > 0)
        {
            throw new ImportFileException("fileUnknownColumns", ("kind", texts.KindName(kind)), ("row", header.Number), ("columns", string.Join("、", unknown)));
        }

        return new ImportTable(rows, header.Number, map, headers);
    }
}
