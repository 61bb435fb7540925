using System.Globalization;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace WeChatAssist.Server.Imports;

/// <summary>How an xlsx workbook stores dates: as serial day numbers in cells whose number format is a date, counted
/// in the 1900 date system (the default; day 1 is 1900-01-01 and Excel keeps Lotus' nonexistent 1900-02-29 as day
/// 60) or, with <c>&lt;workbookPr date1904="1"/&gt;</c> (old Mac Excel), the 1904 system (day 0 is 1904-01-01).
/// Turns such a cell's number into the date Excel shows, so a serial never reaches the row checks with the wrong
/// system.</summary>
internal sealed class WorkbookDates
{
    /// <summary>Built-in number formats that show a date (ECMA-376 18.8.30, with the Chinese locale's 27–31, 36,
    /// 50–54, 57, 58). Time-only formats (18–21, 32–35, 45–47, 55, 56) are not dates.</summary>
    private static readonly HashSet<uint> BuiltInDateFormats = [14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58];

    /// <summary>The serials of 9999-12-31, the last day either system can show.</summary>
    private const int LastDay1900 = 2_958_465;
    private const int LastDay1904 = LastDay1900 - 1462;

    private static readonly DateOnly Epoch1900 = new(1899, 12, 31);
    private static readonly DateOnly Epoch1904 = new(1904, 1, 1);

    private readonly bool[] _dateStyles;

    public WorkbookDates(bool date1904, bool[] dateStyles)
    {
        Date1904 = date1904;
        _dateStyles = dateStyles;
        HasDateStyles = Array.IndexOf(dateStyles, true) >= 0;
    }

    /// <summary>Whether serials count from 1904-01-01.</summary>
    public bool Date1904 { get; }

    /// <summary>Whether any cell format of the workbook is a date (if not, no cell needs looking at).</summary>
    public bool HasDateStyles { get; }

    /// <summary>Reads the date system and which cell formats (<c>cellXfs</c>, the index a cell's <c>s</c> names) show dates.</summary>
    public static WorkbookDates Read(WorkbookPart workbook)
    {
        var date1904 = workbook.Workbook.WorkbookProperties?.Date1904?.Value == true;
        var stylesheet = workbook.WorkbookStylesPart?.Stylesheet;
        var custom = stylesheet?.NumberingFormats?.Elements<NumberingFormat>()
            .Where(f => f.NumberFormatId?.Value is not null)
            .GroupBy(f => f.NumberFormatId!.Value)
            .ToDictionary(g => g.Key, g => g.Last().FormatCode?.Value ?? "") ?? [];
        var styles = stylesheet?.CellFormats?.Elements<CellFormat>()
            .Select(f => f.NumberFormatId?.Value is { } id && (custom.TryGetValue(id, out var code) ? IsDateFormat(code) : BuiltInDateFormats.Contains(id)))
            .ToArray() ?? [];
        return new WorkbookDates(date1904, styles);
    }

    /// <summary>Whether the cell format index (a cell's <c>s</c> attribute) shows a date.</summary>
    public bool IsDateStyle(string style) =>
        int.TryParse(style, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < _dateStyles.Length && _dateStyles[index];

    /// <summary>The date a serial shows as <c>yyyy-MM-dd</c> (the time of day dropped); 1900-02-29 for the 1900
    /// system's day 60, which the date check then refuses as Excel's nonexistent day; anything that is not a
    /// serial of a real day (text, negative, day 0 of the 1900 system, past 9999) unchanged.</summary>
    public string Text(string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var serial) || serial < 0 || serial >= (Date1904 ? LastDay1904 : LastDay1900) + 1)
        {
            return value;
        }

        var day = (int)Math.Floor(serial);
        DateOnly date;
        if (Date1904)
        {
            date = Epoch1904.AddDays(day);
        }
        else if (day == 0)
        {
            return value;
        }
        else if (day == 60)
        {
            return "1900-02-29";
        }
        else
        {
            // Day 1 is 1900-01-01; from day 61 on, one more than the calendar counts (Excel's 1900-02-29).
            date = Epoch1900.AddDays(day < 60 ? day : day - 1);
        }

        return date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Whether a custom number format shows a date: its first section, without quoted text, escaped
    /// characters and bracketed colours and locales, has a year or day, or a month without hours
    /// or seconds (<c>m</c> next to <c>h</c> or <c>s</c> is minutes).</summary>
    public static bool IsDateFormat(string code)
    {
        var letters = new System.Text.StringBuilder();
        var section = code.Split(';')[0];
        for (var i = 0; i < section.Length; i++)
        {
            var c = section[i];
            if (c == '"')
            {
                var end = section.IndexOf('"', i + 1);
                i = end < 0 ? section.Length : end;
            }
            else if (c is '\\' or '_' or '*')
            {
                i++;
            }
            else if (c == '[')
            {
                var end = section.IndexOf(']', i + 1);
                var inside = end < 0 ? "" : section[(i + 1)..end].ToLowerInvariant();

                // Elapsed time ([h], [mm], [ss]) counts as time; colours and locales are dropped.
                if (inside.Length > 0 && inside.All(l => l is 'h' or 'm' or 's'))
                {
                    letters.Append(inside);
                }

                i = end < 0 ? section.Length : end;
            }
            else
            {
                letters.Append(char.ToLowerInvariant(c));
            }
        }

        var text = letters.ToString().Replace("general", "", StringComparison.Ordinal);
        return text.Contains('y', StringComparison.Ordinal) || text.Contains('d', StringComparison.Ordinal)
            || (text.Contains('m', StringComparison.Ordinal) && !text.Contains('h', StringComparison.Ordinal) && !text.Contains('s', StringComparison.Ordinal));
    }
}
