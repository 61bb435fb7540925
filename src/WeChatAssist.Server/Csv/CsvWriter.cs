using System.Globalization;
using System.Text;

namespace WeChatAssist.Server.Csv;

/// <summary>Every CSV file the server hands out (<c>errors.csv</c> of an import, <c>failed.csv</c> of the reminder
/// outbox) is written here: RFC 4180 quoting, CRLF line ends, UTF-8 with a byte order mark so that Excel opens the
/// Chinese text correctly.</summary>
/// <remarks>Cells can carry text from uploaded files or from WeChat's error messages, and staff open the file in a
/// spreadsheet. A cell starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return would be read as
/// a formula (CSV injection), so it is prefixed with a single quote, as OWASP recommends; the spreadsheet then shows
/// the text and nothing is lost. A plain signed integer (<c>-5</c>, <c>+86</c>) cannot be a formula and is left as it is.</remarks>
internal sealed class CsvWriter
{
    /// <summary>The content type of the files written here.</summary>
    public const string ContentType = "text/csv; charset=utf-8";

    private readonly StringBuilder _text = new();
    private bool _rowStarted;

    /// <summary>Appends one cell to the current row.</summary>
    public CsvWriter Cell(string? value)
    {
        if (_rowStarted)
        {
            _text.Append(',');
        }

        _text.Append(Field(value));
        _rowStarted = true;
        return this;
    }

    /// <summary>Appends one number cell to the current row (invariant culture).</summary>
    public CsvWriter Cell(long value) => Cell(value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Ends the current row (CRLF, as RFC 4180 has it).</summary>
    public CsvWriter EndRow()
    {
        _text.Append("\r\n");
        _rowStarted = false;
        return this;
    }

    /// <summary>Writes a whole row: each value a cell, then the line end.</summary>
    public CsvWriter Row(params IEnumerable<string?> values)
    {
        foreach (var value in values)
        {
            Cell(value);
        }

        return EndRow();
    }

    /// <summary>The text written so far (without byte order mark).</summary>
    public override string ToString() => _text.ToString();

    /// <summary>The file: a UTF-8 byte order mark, then the text. An unfinished row is ended first.</summary>
    public byte[] ToUtf8WithBom()
    {
        if (_rowStarted)
        {
            EndRow();
        }

        var preamble = Encoding.UTF8.GetPreamble();
        var bytes = new byte[preamble.Length + Encoding.UTF8.GetByteCount(_text.ToString())];
        preamble.CopyTo(bytes, 0);
        Encoding.UTF8.GetBytes(_text.ToString(), 0, _text.Length, bytes, preamble.Length);
        return bytes;
    }

    /// <summary>One cell as it goes into the file: neutralised (see the class remarks), then quoted when it holds a
    /// comma, a double quote or a line break.</summary>
    public static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        value = Neutralise(value);
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>The value with a single quote in front when a spreadsheet would read it as a formula.</summary>
    public static string Neutralise(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsSignedInteger(value) ? "'" + value : value;

    private static bool IsSignedInteger(string value) =>
        value.Length > 1 && value[0] is '+' or '-' && value.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}
