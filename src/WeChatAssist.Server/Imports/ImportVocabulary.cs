using System.Globalization;
using System.Text;
using System.Text.Json;

namespace WeChatAssist.Server.Imports;

/// <summary>Column names, accepted words, the <c>errors.csv</c> wording and the row problems' reasons of imports, from
/// <c>localization/imports.zh-Hans.json</c>. The same file's <c>problems</c> (the API's problem+json answers) are read by
/// the keyed <see cref="Localization.ProblemTexts"/> <c>imports</c>.</summary>
internal sealed class ImportVocabulary
{
    /// <summary>The file, relative to the binaries.</summary>
    public const string FileName = "localization/imports.zh-Hans.json";

    private readonly TextFile _file;
    private readonly Dictionary<string, ImportColumn> _headers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImportColumn> _strippedHeaders = new(StringComparer.Ordinal);

    private ImportVocabulary(TextFile file)
    {
        _file = file;
        foreach (var column in Enum.GetValues<ImportColumn>())
        {
            var key = JsonNamingPolicy.CamelCase.ConvertName(column.ToString());
            if (!file.Columns.TryGetValue(key, out var names) || names.Length == 0)
            {
                throw new InvalidDataException($"{FileName}: columns.{key} is missing");
            }

            foreach (var name in names)
            {
                _headers.TryAdd(NormaliseHeader(name), column);
                _strippedHeaders.TryAdd(StripParentheses(NormaliseHeader(name)), column);
            }
        }

        foreach (var key in (string[])["added", "exited", "paid", "unpaid"])
        {
            if (!file.Words.ContainsKey(key))
            {
                throw new InvalidDataException($"{FileName}: words.{key} is missing");
            }
        }
    }

    public static ImportVocabulary LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return new ImportVocabulary(JsonSerializer.Deserialize<TextFile>(stream, JsonSerializerOptions.Web)
            ?? throw new InvalidDataException($"{path}: empty file"));
    }

    /// <summary>The column a header cell names, tolerating spaces, full-width brackets and the notices' hints in
    /// parentheses (<c>姓名 (务必正确)</c>).</summary>
    public ImportColumn? MatchHeader(string header)
    {
        var normalised = NormaliseHeader(header);
        if (normalised.Length == 0)
        {
            return null;
        }

        return _headers.TryGetValue(normalised, out var column) ? column
            : _strippedHeaders.TryGetValue(StripParentheses(normalised), out column) ? column
            : null;
    }

    /// <summary>The column's name as the notices write it (the first listed).</summary>
    public string ColumnName(ImportColumn column) => _file.Columns[JsonNamingPolicy.CamelCase.ConvertName(column.ToString())][0];

    /// <summary>The header line of <c>errors.csv</c>.</summary>
    public string CsvHeader => _file.Csv["header"];

    /// <summary>How <c>errors.csv</c> names a severity (<c>error</c>, <c>skipped</c>).</summary>
    public string SeverityName(string severity) => _file.Csv.GetValueOrDefault(severity, severity);

    public string KindName(ImportKind kind) => _file.Kinds.GetValueOrDefault(ImportLayouts.Name(kind), ImportLayouts.Name(kind));

    /// <summary>Whether <paramref name="value"/> is one of the accepted words of <paramref name="list"/>
    /// (<c>added</c>, <c>exited</c>, <c>paid</c>, <c>unpaid</c>).</summary>
    public bool IsWord(string list, string value) => _file.Words[list].Contains(value, StringComparer.Ordinal);

    /// <summary>A row problem's reason with its <c>{name}</c> placeholders filled in.</summary>
    public string Reason(string code, params (string Name, object Value)[] values)
    {
        if (!_file.Rows.TryGetValue(code, out var text))
        {
            throw new KeyNotFoundException($"{FileName}: no row text '{code}'");
        }

        return Fill(text, values);
    }

    /// <summary>Spaces of every width removed, full-width brackets and slashes made half-width.</summary>
    public static string NormaliseHeader(string header)
    {
        var builder = new StringBuilder(header.Length);
        foreach (var c in header)
        {
            if (char.IsWhiteSpace(c) || c == '\u3000' || c == '\uFEFF')
            {
                continue;
            }

            builder.Append(c switch
            {
                '（' => '(',
                '）' => ')',
                '／' => '/',
                '：' or ':' => '\0',
                _ => c,
            });
        }

        return builder.Replace("\0", "").ToString();
    }

    private static string StripParentheses(string header)
    {
        var builder = new StringBuilder(header.Length);
        var depth = 0;
        foreach (var c in header)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Fill(string text, (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            text = text.Replace("{" + name + "}", Convert.ToString(value, CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return text;
    }

    private sealed record TextFile(
        Dictionary<string, string[]> Columns,
        Dictionary<string, string[]> Words,
        Dictionary<string, string> Csv,
        Dictionary<string, string> Kinds,
        Dictionary<string, string> Rows);
}
