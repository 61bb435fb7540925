using System.Text;
using WeChatAssist.Server.Imports;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>Reading uploads: encodings, xlsx string storage, headers below a title, tolerant column names, and
/// the precise errors for files that cannot be used.</summary>
public sealed class SpreadsheetReadingTests
{
    private static readonly ImportVocabulary Texts = ImportVocabulary.LoadFile(Path.Combine(AppContext.BaseDirectory, ImportVocabulary.FileName));

    private static readonly string[][] Rows =
    [
        ["闻喜县民政局 10 月困难人口总名单"],
        ["单位名称(盖章):", "", "", "", "", ""],
        ImportFiles.HardshipHeader,
        ["1", "桐城镇", "上院村", "张三", "140823198001010012", "农村低保家庭成员"],
        ["2", "东镇镇", "南街村", "欧阳·娜娜", "14082319900202002X", "孤儿, 事实无人抚养儿童"],
        ["....", "", "", "", "", ""],
        ["注: 1. 本表由县民政局、县乡村振兴局、县残联填写。"],
    ];

    public static TheoryData<string> Files => ["xlsx-shared", "xlsx-inline", "csv-utf8", "csv-utf8-bom", "csv-gb18030", "csv-utf16-bom"];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_file_form_reads_the_same_rows_under_the_header(string form)
    {
        var content = form switch
        {
            "xlsx-shared" => ImportFiles.Xlsx(Rows),
            "xlsx-inline" => ImportFiles.Xlsx(Rows, inlineStrings: true),
            "csv-utf8" => ImportFiles.Csv(Rows),
            "csv-utf8-bom" => ImportFiles.Csv(Rows, bom: true),
            "csv-gb18030" => ImportFiles.Csv(Rows, ImportFiles.Gb18030),
            _ => ImportFiles.Csv(Rows, Encoding.Unicode, bom: true),
        };

        using var file = SpreadsheetFile.Open(content);
        var table = ImportTable.Open(file, ImportKind.Hardship, Texts);
        var rows = table.Rows().ToList();

        Assert.Equal(3, table.HeaderRow);
        Assert.Equal([4, 5], rows.Select(r => r.Number));
        Assert.Equal("欧阳·娜娜", rows[1][ImportColumn.Name]);
        Assert.Equal("14082319900202002X", rows[1][ImportColumn.IdNumber]);
        Assert.Equal("孤儿, 事实无人抚养儿童", rows[1][ImportColumn.Category]);
        Assert.Equal("东镇镇", rows[1][ImportColumn.Township]);
        Assert.Equal("姓名 (务必正确)", table.Headers[ImportColumn.Name]);
    }

    [Fact]
    public void A_tab_separated_export_is_read_like_a_comma_separated_one()
    {
        var content = Encoding.UTF8.GetBytes(string.Join("\t", ImportFiles.HardshipHeader) + "\r\n1\t桐城镇\t上院村\t张三\t140823198001010012\t孤儿\r\n");

        using var file = SpreadsheetFile.Open(content);
        var row = Assert.Single(ImportTable.Open(file, ImportKind.Hardship, Texts).Rows());

        Assert.Equal("140823198001010012", row[ImportColumn.IdNumber]);
        Assert.Equal("孤儿", row[ImportColumn.Category]);
    }

    [Fact]
    public void Gbk_bytes_are_not_mistaken_for_utf8()
    {
        var gbk = ImportFiles.Gb18030.GetBytes("姓名,身份证号码");

        var encoding = SpreadsheetFile.DetectEncoding(gbk, out var preamble);

        Assert.Equal(54936, encoding.CodePage);
        Assert.Equal(0, preamble);
    }

    [Fact]
    public void Csv_fields_may_quote_separators_quotes_and_line_breaks()
    {
        using var reader = new StringReader("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\"two\nlines\",x,\r\nlast");

        var rows = CsvRecords.Read(reader).ToList();

        Assert.Equal(["a", "b,1", "say \"hi\""], rows[0].Cells);
        Assert.Equal(["two\nlines", "x", ""], rows[1].Cells);
        Assert.Equal(4, rows[2].Number); // the quoted line break makes record 2 span lines 2 and 3
        Assert.Equal(["last"], rows[2].Cells);
    }

    [Fact]
    public void The_first_sheet_with_a_header_is_used_and_numeric_cells_keep_their_text()
    {
        var content = ImportFiles.Xlsx(
        [
            ("说明", [["这是填表说明"]]),
            ("名单", [ImportFiles.TaxHeader, ["1", "140823198001010012", "张三", ImportFiles.NumberPrefix + "2024", ImportFiles.NumberPrefix + "45236", ImportFiles.NumberPrefix + "380", "已缴费"]]),
        ]);

        using var file = SpreadsheetFile.Open(content);
        var row = Assert.Single(ImportTable.Open(file, ImportKind.Tax, Texts).Rows());

        Assert.Equal("2024", row[ImportColumn.BenefitYear]);
        Assert.Equal("45236", row[ImportColumn.PaidOn]);
        Assert.Equal("380", row[ImportColumn.Amount]);
    }

    public static TheoryData<string, string, int, int, int> Dates => new()
    {
        { "2023-11-05", "", 2023, 11, 5 },
        { "2023/11/5", "", 2023, 11, 5 },
        { "2023.11.05", "", 2023, 11, 5 },
        { "2023年11月5日", "", 2023, 11, 5 },
        { "20231105", "", 2023, 11, 5 },
        { "2023-11-05 00:00:00", "", 2023, 11, 5 },
        { "45235", "Excel serial", 2023, 11, 5 },
        { "45235.5", "Excel serial with a time", 2023, 11, 5 },
    };

    [Theory]
    [MemberData(nameof(Dates))]
    public void Dates_are_read_as_departments_write_them(string text, string note, int year, int month, int day)
    {
        Assert.True(ImportRowValidator.TryParseDate(text, out var date), note);
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Theory]
    [InlineData("2023-13-01")]
    [InlineData("11/05/2023")]
    [InlineData("下个月")]
    [InlineData("2023.11")]
    public void Dates_that_cannot_be_read_are_refused(string text) => Assert.False(ImportRowValidator.TryParseDate(text, out _));

    [Fact]
    public void An_empty_upload_is_refused_as_empty() => Assert.Equal("fileEmpty", Refusal([]));

    [Fact]
    public void An_old_xls_or_a_picture_is_not_a_spreadsheet()
    {
        Assert.Equal("fileNotSpreadsheet", Refusal([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0]));
        Assert.Equal("fileNotSpreadsheet", Refusal([0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0, 0, 13]));
    }

    [Fact]
    public void A_truncated_xlsx_is_broken()
    {
        var whole = ImportFiles.Xlsx(Rows);

        Assert.Equal("fileBroken", Refusal(whole[..(whole.Length / 2)]));
    }

    [Fact]
    public void A_workbook_without_an_id_number_column_names_its_sheets()
    {
        var content = ImportFiles.Xlsx([("汇总", [["乡镇", "人数"], ["桐城镇", "3"]]), ("Sheet2", [["备注"]])]);

        var ex = Assert.Throws<ImportFileException>(() => Open(content, ImportKind.Hardship));

        Assert.Equal("fileNoSheet", ex.Code);
        Assert.Contains(ex.Values, v => v.Name == "sheets" && (string)v.Value == "汇总、Sheet2");
    }

    [Fact]
    public void A_missing_column_is_named_with_the_header_row()
    {
        var content = ImportFiles.Csv([["序号", "乡镇(街道)", "村(社区)", "姓名", "身份证号码"]]);

        var ex = Assert.Throws<ImportFileException>(() => Open(content, ImportKind.Hardship));

        Assert.Equal("fileMissingColumns", ex.Code);
        Assert.Contains(ex.Values, v => v.Name == "columns" && (string)v.Value == "人员类别");
        Assert.Contains(ex.Values, v => v.Name == "row" && (int)v.Value == 1);
    }

    [Fact]
    public void A_column_that_does_not_belong_to_the_kind_is_named()
    {
        var content = ImportFiles.Csv([[.. ImportFiles.HardshipHeader, "备注", "缴费状态"]]);

        var ex = Assert.Throws<ImportFileException>(() => Open(content, ImportKind.Hardship));

        Assert.Equal("fileUnknownColumns", ex.Code);
        Assert.Contains(ex.Values, v => v.Name == "columns" && (string)v.Value == "备注、缴费状态");
    }

    [Theory]
    [InlineData("乡镇（街道）", "Township")]
    [InlineData("村 （社区）", "Village")]
    [InlineData("身份证号码（务必正确）", "IdNumber")]
    [InlineData("动态调整时间（精确到年月日）", "ChangeDate")]
    [InlineData("动态调整类型(新增/退出)", "ChangeType")]
    [InlineData("人 员 类 别", "Category")]
    [InlineData("缴费金额（元）", "Amount")]
    public void Headers_match_with_full_width_brackets_spaces_and_hints(string header, string column) =>
        Assert.Equal(Enum.Parse<ImportColumn>(column), Texts.MatchHeader(header));

    private static string Refusal(byte[] content) => Assert.Throws<ImportFileException>(() => Open(content, ImportKind.Hardship)).Code;

    private static List<SourceRow> Open(byte[] content, ImportKind kind)
    {
        using var file = SpreadsheetFile.Open(content);
        return ImportTable.Open(file, kind, Texts).Rows().ToList();
    }
}
