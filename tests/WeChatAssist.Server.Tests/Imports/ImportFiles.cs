using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>Builds upload files in code: xlsx through the Open XML SDK (shared or inline strings, numeric cells,
/// several sheets) and csv in a chosen encoding.</summary>
internal static class ImportFiles
{
    /// <summary>The header of 004 附件2 exactly as the notice prints it.</summary>
    public static readonly string[] HardshipHeader = ["序号", "乡镇(街道)", "村(社区)", "姓名 (务必正确)", "身份证号码 (务必正确)", "人员类别"];

    /// <summary>The header of 004 附件3 exactly as the notice prints it (spaces and brackets included).</summary>
    public static readonly string[] ChangesHeader = ["序号", "乡镇 (街道)", "村 (社区)", "姓名 (务必正确)", "身份证号码 (务必正确)", "动态调整类型 (新增/退出)", "人员类别", "动态调整时间 (精确到年月日)"];

    public static readonly string[] EnrollmentHeader = ["序号", "乡镇(街道)", "村(社区)", "姓名", "身份证号码", "缴费年度", "缴费日期", "缴费金额"];

    public static readonly string[] TaxHeader = ["序号", "身份证号码", "姓名", "缴费年度", "缴费日期", "缴费金额", "缴费状态"];

    /// <summary>A cell written as a number rather than text.</summary>
    public const string NumberPrefix = "#n:";

    /// <summary>A number in a date-formatted cell (built-in format 14, what Excel gives a typed date).</summary>
    public const string DatePrefix = "#d:";

    /// <summary>A number in a cell with the custom date format <c>yyyy"年"m"月"d"日"</c>.</summary>
    public const string ChineseDatePrefix = "#c:";

    /// <summary>A number in a time-only cell (built-in format 20, <c>h:mm</c>).</summary>
    public const string TimePrefix = "#t:";

    /// <summary>A number in a cell with the custom number format <c>0.00</c>.</summary>
    public const string AmountPrefix = "#a:";

    // Cell format (cellXfs) index of each styled prefix; 0 is the default General.
    private static readonly (string Prefix, uint Style)[] StyledPrefixes = [(DatePrefix, 1), (ChineseDatePrefix, 2), (TimePrefix, 3), (AmountPrefix, 4)];

    /// <summary>An xlsx workbook; each sheet is (name, rows). Text goes to the shared string table unless
    /// <paramref name="inlineStrings"/>; cells starting with <see cref="NumberPrefix"/> are numeric.</summary>
    public static byte[] Xlsx(IEnumerable<(string Name, IEnumerable<string[]> Rows)> sheets, bool inlineStrings = false, bool date1904 = false)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = date1904
                ? new Workbook(new WorkbookProperties { Date1904 = true }, new Sheets())
                : new Workbook(new Sheets());
            var stylesPart = workbookPart.AddNewPart<WorkbookStylesPart>();
            stylesPart.Stylesheet = Styles();
            var sharedPart = workbookPart.AddNewPart<SharedStringTablePart>();
            sharedPart.SharedStringTable = new SharedStringTable();
            var shared = new Dictionary<string, int>(StringComparer.Ordinal);
            uint sheetId = 1;
            foreach (var (name, rows) in sheets)
            {
                var sheetPart = workbookPart.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                uint rowNumber = 1;
                foreach (var cells in rows)
                {
                    var row = new Row { RowIndex = rowNumber };
                    for (var i = 0; i < cells.Length; i++)
                    {
                        if (cells[i].Length == 0)
                        {
                            continue;
                        }

                        var reference = ColumnName(i) + rowNumber;
                        Cell cell;
                        if (StyledPrefixes.FirstOrDefault(p => cells[i].StartsWith(p.Prefix, StringComparison.Ordinal)) is { Prefix: not null } styled)
                        {
                            cell = new Cell { CellReference = reference, CellValue = new CellValue(cells[i][styled.Prefix.Length..]), StyleIndex = styled.Style };
                        }
                        else if (cells[i].StartsWith(NumberPrefix, StringComparison.Ordinal))
                        {
                            cell = new Cell { CellReference = reference, CellValue = new CellValue(cells[i][NumberPrefix.Length..]) };
                        }
                        else if (inlineStrings)
                        {
                            cell = new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(cells[i])) };
                        }
                        else
                        {
                            if (!shared.TryGetValue(cells[i], out var index))
                            {
                                index = shared.Count;
                                shared.Add(cells[i], index);
                                sharedPart.SharedStringTable.AppendChild(new SharedStringItem(new Text(cells[i])));
                            }

                            cell = new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue(index.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
                        }

                        row.AppendChild(cell);
                    }

                    data.AppendChild(row);
                    rowNumber++;
                }

                sheetPart.Worksheet = new Worksheet(data);
                workbookPart.Workbook.Sheets!.AppendChild(new Sheet { Id = workbookPart.GetIdOfPart(sheetPart), SheetId = sheetId++, Name = name });
            }

            workbookPart.Workbook.Save();
        }

        return stream.ToArray();
    }

    public static byte[] Xlsx(IEnumerable<string[]> rows, bool inlineStrings = false, bool date1904 = false) => Xlsx([("Sheet1", rows)], inlineStrings, date1904);

    // The minimal stylesheet Excel needs, with the cell formats of the styled prefixes.
    private static Stylesheet Styles() => new(
        new NumberingFormats(
            new NumberingFormat { NumberFormatId = 176, FormatCode = "yyyy\"年\"m\"月\"d\"日\"" },
            new NumberingFormat { NumberFormatId = 177, FormatCode = "0.00" }) { Count = 2 },
        new Fonts(new Font()) { Count = 1 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None })) { Count = 1 },
        new Borders(new Border()) { Count = 1 },
        new CellStyleFormats(new CellFormat()) { Count = 1 },
        new CellFormats(
            new CellFormat { NumberFormatId = 0 },
            new CellFormat { NumberFormatId = 14, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 176, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 20, ApplyNumberFormat = true },
            new CellFormat { NumberFormatId = 177, ApplyNumberFormat = true }) { Count = 5 });

    /// <summary>A csv in <paramref name="encoding"/>, with its BOM when <paramref name="bom"/>.</summary>
    public static byte[] Csv(IEnumerable<string[]> rows, Encoding? encoding = null, bool bom = false)
    {
        encoding ??= new UTF8Encoding(false);
        var text = string.Join("\r\n", rows.Select(r => string.Join(',', r.Select(Quote)))) + "\r\n";
        var body = encoding.GetBytes(text);
        return bom ? [.. encoding.GetPreamble(), .. body] : body;
    }

    public static Encoding Gb18030 => CodePagesEncodingProvider.Instance.GetEncoding(54936)!;

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static string ColumnName(int index)
    {
        var name = "";
        index++;
        while (index > 0)
        {
            var remainder = (index - 1) % 26;
            name = (char)('A' + remainder) + name;
            index = (index - 1) / 26;
        }

        return name;
    }
}
