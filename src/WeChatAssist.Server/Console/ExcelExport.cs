using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>One table as an .xlsx workbook with a single sheet: a header row, then numbers as numbers and everything else as text.</summary>
internal static class ExcelExport
{
    /// <summary>The content type of an .xlsx file.</summary>
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Write(string sheetName, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        using var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(Row(headers.Cast<object?>().ToList()));
            foreach (var row in rows)
            {
                data.Append(Row(row));
            }

            sheetPart.Worksheet = new Worksheet(data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            // Excel limits sheet names to 31 characters.
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = sheetName.Length > 31 ? sheetName[..31] : sheetName });
            workbook.Workbook.Save();
        }

        return stream.ToArray();
    }

    private static Row Row(IReadOnlyList<object?> values)
    {
        var row = new Row();
        foreach (var value in values)
        {
            row.Append(value switch
            {
                null => new Cell(),
                int or long or decimal or double => new Cell
                {
                    DataType = CellValues.Number,
                    CellValue = new CellValue(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
                },
                _ => new Cell
                {
                    DataType = CellValues.InlineString,
                    InlineString = new InlineString(new Text(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "")),
                },
            });
        }

        return row;
    }
}
