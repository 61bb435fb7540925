using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>Dates in xlsx cells are serial day numbers in the workbook's date system: 1900 (day 1 = 1900-01-01, with
/// Excel's nonexistent 1900-02-29 as day 60) or 1904 (<c>date1904="1"</c>, day 0 = 1904-01-01). The expected
/// serials are Excel's own.</summary>
public sealed class WorkbookDateSystemTests(SqliteImportServerFixture fixture) : IClassFixture<SqliteImportServerFixture>
{
    private static readonly ImportVocabulary Texts = ImportVocabulary.LoadFile(Path.Combine(AppContext.BaseDirectory, ImportVocabulary.FileName));

    // (date, its serial in the 1900 system, in the 1904 system), as Excel shows them.
    public static TheoryData<string, int, int> Days => new()
    {
        { "2023-11-05", 45235, 43773 },
        { "2022-11-20", 44885, 43423 },
        { "2024-02-29", 45351, 43889 },
        { "1904-01-01", 1462, 0 },
        { "1900-03-01", 61, -1 },
        { "1900-02-28", 59, -1 },
        { "1900-01-01", 1, -1 },
    };

    [Theory]
    [MemberData(nameof(Days))]
    public void A_date_cell_reads_as_the_day_excel_shows_in_either_date_system(string day, int serial1900, int serial1904)
    {
        Assert.Equal(day, PaidOn(Workbook(ImportFiles.DatePrefix + serial1900, date1904: false)));
        Assert.Equal(day, PaidOn(Workbook(ImportFiles.ChineseDatePrefix + serial1900 + ".75", date1904: false)));
        if (serial1904 >= 0)
        {
            Assert.Equal(day, PaidOn(Workbook(ImportFiles.DatePrefix + serial1904, date1904: true)));
            Assert.Equal(day, PaidOn(Workbook(ImportFiles.ChineseDatePrefix + serial1904 + ".25", date1904: true)));
        }

        Assert.True(ImportRowValidator.TryParseDate(day, out var parsed));
        Assert.Equal(DateOnly.ParseExact(day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), parsed);
    }

    [Fact]
    public void Excel_s_nonexistent_1900_02_29_reads_as_what_excel_shows_and_is_refused_as_a_date()
    {
        var text = PaidOn(Workbook(ImportFiles.DatePrefix + "60", date1904: false));

        Assert.Equal("1900-02-29", text);
        Assert.False(ImportRowValidator.TryParseDate(text, out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Numbers_that_are_not_dates_are_left_as_they_are_in_either_system(bool date1904)
    {
        using var file = SpreadsheetFile.Open(ImportFiles.Xlsx(
            [ImportFiles.TaxHeader, ["1", WenxiIds.Next(), "张三", ImportFiles.NumberPrefix + "2024", ImportFiles.TimePrefix + "45235.5", ImportFiles.AmountPrefix + "380", "已缴费"]],
            date1904: date1904));
        var row = Assert.Single(ImportTable.Open(file, ImportKind.Tax, Texts).Rows());

        Assert.Equal("2024", row[ImportColumn.BenefitYear]);
        Assert.Equal("45235.5", row[ImportColumn.PaidOn]);
        Assert.Equal("380", row[ImportColumn.Amount]);
    }

    [Fact]
    public void An_unstyled_serial_is_still_read_in_the_1900_system_as_before()
    {
        Assert.Equal("45235", PaidOn(Workbook(ImportFiles.NumberPrefix + "45235", date1904: false)));
        Assert.True(ImportRowValidator.TryParseDate("45235", out var date));
        Assert.Equal(new DateOnly(2023, 11, 5), date);
    }

    [Theory]
    [InlineData("yyyy-mm-dd", true)]
    [InlineData("yyyy\"年\"m\"月\"d\"日\"", true)]
    [InlineData("[$-804]yyyy\"年\"m\"月\";@", true)]
    [InlineData("m/d/yy h:mm", true)]
    [InlineData("mmm", true)]
    [InlineData("h:mm:ss", false)]
    [InlineData("[h]:mm", false)]
    [InlineData("mm:ss", false)]
    [InlineData("0.00", false)]
    [InlineData("#,##0.00\"元\"", false)]
    [InlineData("0.00E+00", false)]
    [InlineData("General", false)]
    [InlineData("[Red]0.00;[Blue]-0.00", false)]
    [InlineData("@", false)]
    public void Custom_formats_that_show_a_year_day_or_month_are_dates(string code, bool isDate) =>
        Assert.Equal(isDate, WorkbookDates.IsDateFormat(code));

    [Theory]
    [InlineData(false, "44885")]
    [InlineData(true, "43423")]
    public async Task An_enrollment_list_from_a_workbook_of_either_date_system_records_the_right_payment_day(bool date1904, string serial)
    {
        var id = WenxiIds.Next();
        using var client = await ImportClient.SignInAsync(fixture.Server);

        var (status, body) = await client.UploadAsync(ImportFiles.Xlsx(
            [ImportFiles.EnrollmentHeader, ["1", "桐城镇", "上院村", "赵日期", id, ImportFiles.NumberPrefix + "2023", ImportFiles.DatePrefix + serial, ImportFiles.AmountPrefix + "350"]],
            date1904: date1904), "enrollment");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("applied", body.GetProperty("report").GetProperty("status").GetString());
        var resident = await fixture.Server.Services.GetRequiredService<ResidentRegistry>().FindAsync(ImportClient.PolicyId, WenxiIds.Parse(id), CancellationToken.None);
        Assert.Equal(1, await fixture.Server.CountAsync($"SELECT COUNT(*) FROM payment_events WHERE resident_id = {resident!.Id} AND benefit_year = 2023 AND paid_on = '2022-11-20' AND amount_fen = 35000"));
    }

    private static byte[] Workbook(string paidOn, bool date1904) =>
        ImportFiles.Xlsx([ImportFiles.TaxHeader, ["1", WenxiIds.Next(), "张三", "2024", paidOn, "380", "已缴费"]], date1904: date1904);

    private static string PaidOn(byte[] content)
    {
        using var file = SpreadsheetFile.Open(content);
        return Assert.Single(ImportTable.Open(file, ImportKind.Tax, Texts).Rows())[ImportColumn.PaidOn];
    }
}
