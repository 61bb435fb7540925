using System.IO.Packaging;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace WeChatAssist.Server.Imports;

/// <summary>One row of a sheet as the file holds it: its 1-based row number (as Excel shows it) and the cell texts
/// by column position.</summary>
internal sealed record SheetRow(int Number, string[] Cells);

/// <summary>A sheet of an uploaded file, read lazily and forward-only.</summary>
internal sealed record SheetSource(string Name, Func<IEnumerable<SheetRow>> ReadRows);

/// <summary>The whole file is unusable (not a spreadsheet, broken, no header…); <see cref="Code"/> names the
/// plain-Chinese text in <c>localization/imports.zh-Hans.json</c>.</summary>
internal sealed class ImportFileException : Exception
{
    public ImportFileException(string code, params (string Name, object Value)[] values)
        : base(code)
    {
        Code = code;
        Values = values;
    }

    public ImportFileException(string code, Exception innerException, params (string Name, object Value)[] values)
        : base(code, innerException)
    {
        Code = code;
        Values = values;
    }

    public ImportFileException()
        : this("fileBroken")
    {
    }

    public ImportFileException(string message)
        : this(message, Array.Empty<(string, object)>())
    {
    }

    public ImportFileException(string message, Exception innerException)
        : this(message, innerException, Array.Empty<(string, object)>())
    {
    }

    public string Code { get; }

    public IReadOnlyList<(string Name, object Value)> Values { get; }
}

/// <summary>Opens an uploaded xlsx or csv. xlsx is read SAX-style (an <see cref="XmlReader"/> over each worksheet
/// part, shared strings read once), so a 500,000-row sheet never becomes a DOM. A number in a date-formatted cell is
/// given as the date Excel shows (<c>yyyy-MM-dd</c>), counted in the workbook's date system (1900 or 1904, see
/// <see cref="WorkbookDates"/>). csv may be UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK — what
/// Chinese Excel saves as "CSV (逗号分隔)".</summary>
internal sealed class SpreadsheetFile : IDisposable
{
    private static readonly XmlReaderSettings XmlSettings = new() { DtdProcessing = DtdProcessing.Prohibit, IgnoreComments = true, XmlResolver = null };

    private readonly SpreadsheetDocument? _document;

    private SpreadsheetFile(IReadOnlyList<SheetSource> sheets, SpreadsheetDocument? document)
    {
        Sheets = sheets;
        _document = document;
    }

    /// <summary>The sheets in workbook order (a csv has one).</summary>
    public IReadOnlyList<SheetSource> Sheets { get; }

    /// <summary>Opens <paramref name="content"/>; xlsx is recognised by its zip signature, anything else that is
    /// text is csv.</summary>
    /// <exception cref="ImportFileException">Empty, not a spreadsheet, or a broken workbook.</exception>
    public static SpreadsheetFile Open(byte[] content)
    {
        if (content.Length == 0)
        {
            throw new ImportFileException("fileEmpty");
        }

        if (content.AsSpan().StartsWith("PK\u0003\u0004"u8))
        {
            return OpenWorkbook(content);
        }

        if (content.AsSpan().StartsWith(new byte[] { 0xD0, 0xCF, 0x11, 0xE0 }) || LooksBinary(content))
        {
            throw new ImportFileException("fileNotSpreadsheet");
        }

        return new SpreadsheetFile([new SheetSource("csv", () => ReadCsv(content))], null);
    }

    public void Dispose() => _document?.Dispose();

    /// <summary>The text encoding of a csv: BOM first, then strict UTF-8, else GB18030 (a superset of GBK and GB2312).</summary>
    public static Encoding DetectEncoding(ReadOnlySpan<byte> content, out int preamble)
    {
        if (content.StartsWith("\uFEFF"u8))
        {
            preamble = 3;
            return new UTF8Encoding(false);
        }

        if (content.StartsWith(new byte[] { 0xFF, 0xFE }))
        {
            preamble = 2;
            return Encoding.Unicode;
        }

        if (content.StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            preamble = 2;
            return Encoding.BigEndianUnicode;
        }

        preamble = 0;
        return System.Text.Unicode.Utf8.IsValid(content)
            ? new UTF8Encoding(false)
            : CodePagesEncodingProvider.Instance.GetEncoding(54936)!;
    }

    private static bool LooksBinary(byte[] content)
    {
        // UTF-16 text has zero bytes; it announces itself with a BOM.
        if (content.AsSpan().StartsWith(new byte[] { 0xFF, 0xFE }) || content.AsSpan().StartsWith(new byte[] { 0xFE, 0xFF }))
        {
            return false;
        }

        return content.AsSpan(0, Math.Min(content.Length, 8192)).Contains((byte)0);
    }

    private static IEnumerable<SheetRow> ReadCsv(byte[] content)
    {
        var encoding = DetectEncoding(content, out var preamble);
        using var reader = new StreamReader(new MemoryStream(content, preamble, content.Length - preamble, writable: false), encoding, detectEncodingFromByteOrderMarks: false);
        foreach (var row in CsvRecords.Read(reader))
        {
            yield return row;
        }
    }

    private static SpreadsheetFile OpenWorkbook(byte[] content)
    {
        SpreadsheetDocument? document = null;
        try
        {
            document = SpreadsheetDocument.Open(new MemoryStream(content, writable: false), false);
            var workbook = document.WorkbookPart ?? throw new ImportFileException("fileBroken", ("reason", "缺少工作簿"));
            var shared = ReadSharedStrings(workbook.SharedStringTablePart);
            var dates = WorkbookDates.Read(workbook);
            var sheets = new List<SheetSource>();
            foreach (var sheet in workbook.Workbook.Sheets?.Elements<DocumentFormat.OpenXml.Spreadsheet.Sheet>() ?? [])
            {
                if (sheet.Id?.Value is not { } id || workbook.GetPartById(id) is not WorksheetPart part)
                {
                    continue;
                }

                sheets.Add(new SheetSource(sheet.Name?.Value ?? id, () => Guard(() => ReadWorksheet(part, shared, dates))));
            }

            if (sheets.Count == 0)
            {
                throw new ImportFileException("fileBroken", ("reason", "工作簿里没有工作表"));
            }

            return new SpreadsheetFile(sheets, document);
        }
        catch (Exception ex) when (IsBrokenPackage(ex))
        {
            document?.Dispose();
            throw new ImportFileException("fileBroken", ex, ("reason", Describe(ex)));
        }
        catch
        {
            document?.Dispose();
            throw;
        }
    }

    // Reading a worksheet part can still hit a damaged entry (a truncated zip holds its directory but not every
    // part); that surfaces while enumerating.
    private static IEnumerable<SheetRow> Guard(Func<IEnumerable<SheetRow>> rows)
    {
        using var enumerator = Wrap(() => rows().GetEnumerator());
        while (true)
        {
            if (!Wrap(enumerator.MoveNext))
            {
                yield break;
            }

            yield return enumerator.Current;
        }

        static T Wrap<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (Exception ex) when (IsBrokenPackage(ex))
            {
                throw new ImportFileException("fileBroken", ex, ("reason", Describe(ex)));
            }
        }
    }

    private static bool IsBrokenPackage(Exception ex) =>
        ex is OpenXmlPackageException or FileFormatException or InvalidDataException or XmlException or IOException;

    private static string Describe(Exception ex) => ex switch
    {
        InvalidDataException => "压缩包不完整",
        XmlException => "表格内容不完整",
        _ => "不是有效的xlsx工作簿",
    };

    private static string[] ReadSharedStrings(SharedStringTablePart? part)
    {
        if (part is null)
        {
            return [];
        }

        var strings = new List<string>();
        using var xml = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), XmlSettings);
        xml.MoveToContent();
        while (!xml.EOF)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si")
            {
                strings.Add(ReadText(xml));
                continue;
            }

            xml.Read();
        }

        return [.. strings];
    }

    private static IEnumerable<SheetRow> ReadWorksheet(WorksheetPart part, string[] shared, WorkbookDates dates)
    {
        using var xml = XmlReader.Create(part.GetStream(FileMode.Open, FileAccess.Read), XmlSettings);
        var lastRow = 0;
        var cells = new List<string>();
        xml.MoveToContent();
        while (!xml.EOF)
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "row")
            {
                xml.Read();
                continue;
            }

            var number = int.TryParse(xml.GetAttribute("r"), out var r) ? r : lastRow + 1;
            lastRow = number;
            cells.Clear();
            if (xml.IsEmptyElement)
            {
                xml.Read();
                yield return new SheetRow(number, []);
                continue;
            }

            var depth = xml.Depth;
            var lastColumn = -1;
            xml.Read();
            while (!xml.EOF && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
            {
                if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "c")
                {
                    var column = ColumnIndex(xml.GetAttribute("r")) ?? lastColumn + 1;
                    lastColumn = column;
                    var type = xml.GetAttribute("t");
                    var style = dates.HasDateStyles && type is null or "n" ? xml.GetAttribute("s") : null;
                    var value = ReadCell(xml, type, shared);
                    if (style is not null && dates.IsDateStyle(style))
                    {
                        value = dates.Text(value);
                    }

                    while (cells.Count <= column)
                    {
                        cells.Add("");
                    }

                    cells[column] = value;
                    continue;
                }

                xml.Read();
            }

            xml.Read();
            yield return new SheetRow(number, [.. cells]);
        }
    }

    // Positioned on <c>; leaves the reader after </c>.
    private static string ReadCell(XmlReader xml, string? type, string[] shared)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return "";
        }

        var depth = xml.Depth;
        string? value = null;
        xml.Read();
        while (!xml.EOF && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "v")
            {
                value = xml.ReadElementContentAsString();
                continue;
            }

            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "is")
            {
                value = ReadText(xml);
                continue;
            }

            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "f")
            {
                xml.Skip();
                continue;
            }

            xml.Read();
        }

        xml.Read();
        return type switch
        {
            "s" when int.TryParse(value, out var index) && index >= 0 && index < shared.Length => shared[index],
            "s" => throw new ImportFileException("fileBroken", ("reason", "共享字符串表不完整")),
            "b" => value == "1" ? "TRUE" : "FALSE",
            _ => value ?? "",
        };
    }

    // Positioned on <si> or <is>: the text of its <t> runs, phonetic guides (<rPh>) left out; leaves the reader
    // after the element.
    private static string ReadText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            xml.Read();
            return "";
        }

        var depth = xml.Depth;
        var text = new StringBuilder();
        xml.Read();
        while (!xml.EOF && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == depth))
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "rPh")
            {
                xml.Skip();
                continue;
            }

            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "t")
            {
                text.Append(xml.ReadElementContentAsString());
                continue;
            }

            xml.Read();
        }

        xml.Read();
        return text.ToString();
    }

    /// <summary>The 0-based column of a cell reference such as <c>AB12</c>.</summary>
    public static int? ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var index = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                index = index * 26 + (c - 'A' + 1);
                letters++;
            }
            else
            {
                break;
            }
        }

        return letters == 0 ? null : index - 1;
    }
}
