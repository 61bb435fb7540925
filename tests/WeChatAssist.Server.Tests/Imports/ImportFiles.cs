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

    /// <summary>An xlsx workbook; each sheet is (name, rows). Text goes to the shared string table unless
    /// <paramref name="inlineStrings"/>; cells starting with <see cref="NumberPrefix"/> are numeric.</summary>
    public static byte[] Xlsx(IEnumerable<(string Name, IEnumerable<string[]> Rows)> sheets, bool inlineStrings = false)
    {
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbookPart = document.AddWorkbookPart();
            workbookPart.Workbook = new Workbook(new Sheets());
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
                        if (cells[i].StartsWith(NumberPrefix, StringComparison.Ordinal))
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

    public static byte[] Xlsx(IEnumerable<string[]> rows, bool inlineStrings = false) => Xlsx([("Sheet1", rows)], inlineStrings);

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
