using System.Text;
using WeChatAssist.Server.Csv;

namespace WeChatAssist.Server.Tests.Csv;

/// <summary>The one CSV writer: RFC 4180 quoting, formula cells neutralised with a single quote (OWASP), UTF-8 with
/// a byte order mark, and a reader of RFC 4180 gets back exactly what was written (plus the quote).</summary>
public sealed class CsvWriterTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("孙二", "孙二")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("\"", "\"\"\"\"")]
    [InlineData("line\nbreak", "\"line\nbreak\"")]
    [InlineData("line\r\nbreak", "\"line\r\nbreak\"")]
    [InlineData(" spaced ", " spaced ")]
    [InlineData("a'b", "a'b")]
    [InlineData("mid=dle", "mid=dle")]
    [InlineData("a\tb", "a\tb")]
    public void A_cell_is_quoted_only_when_it_holds_a_comma_a_quote_or_a_line_break(string? value, string expected) =>
        Assert.Equal(expected, CsvWriter.Field(value));

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-1+1", "'-1+1")]
    [InlineData("@SUM(A1:A2)", "'@SUM(A1:A2)")]
    [InlineData("\tcmd", "'\tcmd")]
    [InlineData("=", "'=")]
    [InlineData("-", "'-")]
    [InlineData("+", "'+")]
    [InlineData("-1.5", "'-1.5")]
    [InlineData("-1e3", "'-1e3")]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    public void A_cell_a_spreadsheet_would_read_as_a_formula_gets_a_single_quote_in_front(string value, string expected) =>
        Assert.Equal(expected, CsvWriter.Field(value));

    [Fact]
    public void A_formula_cell_that_also_needs_quoting_is_neutralised_inside_the_quotes() =>
        Assert.Equal("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"", CsvWriter.Field("=HYPERLINK(\"http://x\",\"y\")"));

    [Fact]
    public void A_cell_starting_with_a_carriage_return_is_neutralised_and_quoted() =>
        Assert.Equal("\"'\r=1\"", CsvWriter.Field("\r=1"));

    [Theory]
    [InlineData("-5")]
    [InlineData("+86")]
    [InlineData("-0")]
    [InlineData("+8613812345678")]
    public void A_plain_signed_integer_is_not_a_formula_and_stays_as_it_is(string value) =>
        Assert.Equal(value, CsvWriter.Field(value));

    [Fact]
    public void Rows_are_separated_by_commas_and_ended_by_crlf()
    {
        var csv = new CsvWriter().Row("a", "b,c", null).Cell(3).Cell("=x").EndRow();

        Assert.Equal("a,\"b,c\",\r\n3,'=x\r\n", csv.ToString());
    }

    [Fact]
    public void The_file_is_utf8_with_a_byte_order_mark_and_an_unfinished_row_is_ended()
    {
        var bytes = new CsvWriter().Row("行号", "问题").Cell("孙*").ToUtf8WithBom();

        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        Assert.Equal("行号,问题\r\n孙*\r\n", Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(CsvWriter.ContentType, "text/csv; charset=utf-8");
    }

    [Fact]
    public void An_empty_file_is_only_the_byte_order_mark() =>
        Assert.Equal(Encoding.UTF8.GetPreamble(), new CsvWriter().ToUtf8WithBom());

    [Fact]
    public void Every_hostile_value_reads_back_whole_with_only_the_single_quote_added()
    {
        string[] values =
        [
            "=HYPERLINK(\"http://x\",\"y\")", "+cmd", "-2+3", "@A1", "\tTab", "\rCR", "a,b", "quote\"inside", "multi\nline", "\r\n", "普通", "", "-7",
        ];

        var csv = new CsvWriter().Row(values).Row(values.Reverse()).ToString();
        var rows = CsvText.Parse(csv);

        Assert.Equal(2, rows.Count);
        Assert.Equal(values.Select(Expected), rows[0]);
        Assert.Equal(values.Reverse().Select(Expected), rows[1]);

        static string Expected(string value) => value.Length > 0 && value[0] is '=' or '+' or '@' or '\t' or '\r' || value == "-2+3" ? "'" + value : value;
    }
}
