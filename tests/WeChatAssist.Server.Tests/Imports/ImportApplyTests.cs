using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>The four lists applied through the admin API on SQLite: what changes in the registry, the category
/// history and the payment ledger, and that nothing changes twice.</summary>
public sealed class ImportApplyTests(SqliteImportServerFixture fixture) : IClassFixture<SqliteImportServerFixture>
{
    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task A_hardship_list_adds_residents_with_their_categories_and_opens_their_history()
    {
        var (a, b) = (WenxiIds.Next(), WenxiIds.Next("20150606"));
        using var client = await ImportClient.SignInAsync(Server);

        var (status, body) = await client.UploadAsync(Hardship(
            ["1", "桐城镇", "上院村", "张 三", a, "农村低保家庭成员"],
            ["2", "桐城镇", "上院村", "张三", a, "丧失劳动能力的残疾人员"],
            ["3", "东镇镇", "南街村", "李四", b, "孤儿"]), "hardship", asOf: "2023-10-31");

        Assert.Equal(HttpStatusCode.OK, status);
        var report = body.GetProperty("report");
        Assert.Equal("applied", report.GetProperty("status").GetString());
        Assert.Equal(3, report.GetProperty("totalRows").GetInt32());
        Assert.Equal(2, report.GetProperty("residentsCreated").GetInt32());
        Assert.Equal(3, report.GetProperty("categoriesOpened").GetInt32());
        var zhang = await FindAsync(a);
        Assert.Equal("张三", zhang.Name);
        Assert.Equal(["dibao", "canji"], zhang.CategoryCodes);
        Assert.Equal("桐城镇", zhang.Township);
        Assert.Equal(["tekun"], (await FindAsync(b)).CategoryCodes);
        Assert.Equal(2, await Server.CountAsync($"SELECT COUNT(*) FROM resident_category_history WHERE resident_id = {zhang.Id} AND valid_from = '2023-10-31' AND valid_to IS NULL AND opened_by_import = {Id(body)}"));
        var seededAfter = await Server.SeedAsync("后来人", WenxiIds.Next(), policyId: ImportClient.PolicyId, township: "桐城镇", village: "上院村");
        Assert.True(seededAfter > Math.Max(zhang.Id, (await FindAsync(b)).Id), "ids the import took are not handed out again");
    }

    [Fact]
    public async Task The_same_file_again_is_a_duplicate_and_the_same_rows_in_another_file_change_nothing()
    {
        var (a, b) = (WenxiIds.Next(), WenxiIds.Next());
        string[][] rows = [ImportFiles.HardshipHeader, ["1", "河底镇", "河底村", "王芳", a, "返贫致贫人口"], ["2", "河底镇", "河底村", "赵强", b, "脱贫人口"]];
        using var client = await ImportClient.SignInAsync(Server);
        var xlsx = ImportFiles.Xlsx(rows);
        var first = await client.UploadAsync(xlsx, "hardship");
        var residents = await Server.CountAsync("SELECT COUNT(*) FROM residents");
        var history = await Server.CountAsync("SELECT COUNT(*) FROM resident_category_history");

        var again = await client.UploadAsync(xlsx, "hardship");
        var asCsv = await client.UploadAsync(ImportFiles.Csv(rows, ImportFiles.Gb18030), "hardship", fileName: "名单.csv");

        Assert.Equal("applied", first.Body.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal("duplicate", again.Body.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal(Id(first.Body), again.Body.GetProperty("report").GetProperty("duplicateOf").GetInt64());
        var csvReport = asCsv.Body.GetProperty("report");
        Assert.Equal("applied", csvReport.GetProperty("status").GetString());
        Assert.Equal(0, csvReport.GetProperty("residentsCreated").GetInt32());
        Assert.Equal(0, csvReport.GetProperty("categoriesOpened").GetInt32());
        Assert.Equal(2, csvReport.GetProperty("unchangedRows").GetInt32());
        Assert.Equal(residents, await Server.CountAsync("SELECT COUNT(*) FROM residents"));
        Assert.Equal(history, await Server.CountAsync("SELECT COUNT(*) FROM resident_category_history"));
    }

    [Fact]
    public async Task A_file_with_row_errors_is_rejected_whole_and_the_report_names_row_column_and_reason()
    {
        var good = WenxiIds.Next();
        var bad = WenxiIds.BadChecksum();
        var registered = WenxiIds.Next();
        await Server.SeedAsync("王五", registered, policyId: ImportClient.PolicyId, township: "礼元镇", village: "礼元村");
        using var client = await ImportClient.SignInAsync(Server);

        var (status, body) = await client.UploadAsync(Hardship(
            ["1", "桐城镇", "上院村", "钱一", good, "城镇低保家庭成员"],
            ["2", "桐城镇", "上院村", "孙二", bad, "城镇低保家庭成员"],
            ["3", "桐城镇", "上院村", "周三", WenxiIds.Next(), "退伍军人"],
            ["4", "火星镇", "上院村", "吴四", WenxiIds.Next(), "孤儿"],
            ["5", "桐城镇", "上院村", "钱一", good, "城镇低保家庭成员"],
            ["6", "礼元镇", "礼元村", "王武", registered, "孤儿"]), "hardship");

        Assert.Equal(HttpStatusCode.OK, status);
        var report = body.GetProperty("report");
        Assert.Equal("rejected", report.GetProperty("status").GetString());
        Assert.True(5 == report.GetProperty("errorRows").GetInt32(), body.ToString());
        Assert.Null(await Server.Services.GetRequiredService<ResidentRegistry>().FindAsync(ImportClient.PolicyId, WenxiIds.Parse(good), CancellationToken.None));
        var problems = body.GetProperty("problems").EnumerateArray().Select(p => (Row: p.GetProperty("row").GetInt32(), Column: p.GetProperty("column").GetString(), Code: p.GetProperty("code").GetString(), Reason: p.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal(
            [(3, "身份证号码 (务必正确)", "idChecksumMismatch"), (4, "人员类别", "categoryUnknown"), (5, "乡镇(街道)", "townshipUnknown"), (6, "身份证号码 (务必正确)", "duplicate"), (7, "姓名 (务必正确)", "nameMismatch")],
            problems.Select(p => (p.Row, p.Column, p.Code)));
        Assert.Equal("人员类别“退伍军人”不是本县政策中的资助类别", problems[1].Reason);
        Assert.Equal("与第2行重复", problems[3].Reason);
        Assert.Equal("姓名与登记库中该身份证号码的姓名（王*）不一致", problems[4].Reason);
        Assert.Equal(bad[..4] + "**********" + bad[^4..], body.GetProperty("problems")[0].GetProperty("idNumber").GetString());

        var bytes = await client.GetBytesAsync($"/api/v1/admin/imports/{Id(body)}/errors.csv");
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = System.Text.Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("行号,列,处理,身份证号码,姓名,问题", csv, StringComparison.Ordinal);
        Assert.Contains("3,身份证号码 (务必正确),错误（整个文件未导入）," + bad[..4] + "**********" + bad[^4..] + ",孙*,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(bad, csv, StringComparison.Ordinal);
        Assert.DoesNotContain("孙二", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_reports_what_applying_would_do_and_changes_nothing()
    {
        var id = WenxiIds.Next();
        using var client = await ImportClient.SignInAsync(Server);
        var residents = await Server.CountAsync("SELECT COUNT(*) FROM residents");

        var (_, body) = await client.UploadAsync(Hardship(["1", "裴社镇", "裴社村", "郑六", id, "边缘易致贫人口"]), "hardship", mode: "validate");

        var report = body.GetProperty("report");
        Assert.Equal("validated", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("residentsCreated").GetInt32());
        Assert.Equal(residents, await Server.CountAsync("SELECT COUNT(*) FROM residents"));
        Assert.Equal(0, await Server.CountAsync($"SELECT COUNT(*) FROM resident_category_history WHERE opened_by_import = {Id(body)}"));
    }

    [Fact]
    public async Task A_change_list_closes_a_category_on_its_exit_date_and_opens_an_addition()
    {
        var (c, d, stranger, notDibao) = (WenxiIds.Next(), WenxiIds.Next(), WenxiIds.Next(), WenxiIds.Next());
        using var client = await ImportClient.SignInAsync(Server);
        await client.UploadAsync(Hardship(["1", "阳隅镇", "阳隅村", "冯七", c, "农村低保家庭成员"], ["2", "阳隅镇", "阳隅村", "陈九", notDibao, "孤儿"]), "hardship", asOf: "2023-01-01");

        var (status, body) = await client.UploadAsync(Changes(
            ["1", "阳隅镇", "阳隅村", "冯七", c, "退出", "农村低保家庭成员", "2023年10月15日"],
            ["2", "侯村镇", "侯村", "褚八", d, "新增", "返贫致贫人口", "2023-10-20"],
            ["3", "侯村镇", "侯村", "卫十", stranger, "退出", "孤儿", "2023-10-20"],
            ["4", "阳隅镇", "阳隅村", "陈九", notDibao, "退出", "城镇低保家庭成员", "2023-10-20"]), "changes");

        Assert.Equal(HttpStatusCode.OK, status);
        var report = body.GetProperty("report");
        Assert.Equal("applied", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("categoriesClosed").GetInt32());
        Assert.Equal(1, report.GetProperty("categoriesOpened").GetInt32());
        Assert.Equal(1, report.GetProperty("residentsCreated").GetInt32());
        Assert.Equal(2, report.GetProperty("skippedRows").GetInt32());
        Assert.Equal(["unknownPerson", "notInCategory"], body.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        Assert.Equal("该居民没有登记“低保对象”，无需退出", body.GetProperty("problems")[1].GetProperty("reason").GetString());
        var feng = await FindAsync(c);
        Assert.Empty(feng.CategoryCodes);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM resident_category_history WHERE resident_id = {feng.Id} AND category_code = 'dibao' AND valid_from = '2023-01-01' AND valid_to = '2023-10-15' AND closed_by_import = {Id(body)}"));
        var history = Server.Services.GetRequiredService<WeChatAssist.Server.Imports.CategoryHistory>();
        Assert.Equal(["dibao"], await history.HeldOnAsync(feng.Id, new DateOnly(2023, 10, 14), CancellationToken.None));
        Assert.Empty(await history.HeldOnAsync(feng.Id, new DateOnly(2023, 10, 15), CancellationToken.None));
        Assert.Empty(await history.HeldOnAsync(feng.Id, new DateOnly(2022, 12, 31), CancellationToken.None));
        var chu = await FindAsync(d);
        Assert.Equal(["fanpin-zhipin"], chu.CategoryCodes);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM resident_category_history WHERE resident_id = {chu.Id} AND valid_from = '2023-10-20' AND valid_to IS NULL"));

        var again = await client.UploadAsync(Changes(
            ["1", "阳隅镇", "阳隅村", "冯七", c, "退出", "农村低保家庭成员", "2023-10-15"],
            ["2", "侯村镇", "侯村", "褚八", d, "新增", "返贫致贫人口", "2023-10-20"]), "changes", fileName: "再次.xlsx");
        Assert.Equal(2, again.Body.GetProperty("report").GetProperty("unchangedRows").GetInt32());
        Assert.Equal(0, again.Body.GetProperty("report").GetProperty("categoriesClosed").GetInt32());
    }

    [Fact]
    public async Task A_category_held_before_the_history_began_is_closed_with_an_unknown_start()
    {
        var id = WenxiIds.Next();
        var residentId = await Server.SeedAsync("蒋十一", id, policyId: ImportClient.PolicyId, township: "薛店镇", village: "薛店村", categories: ["dibao", "canji"]);
        using var client = await ImportClient.SignInAsync(Server);

        var (_, body) = await client.UploadAsync(Changes(["1", "薛店镇", "薛店村", "蒋十一", id, "退出", "城镇低保家庭成员", "2023-09-30"]), "changes");

        Assert.Equal("applied", body.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal(["canji"], (await FindAsync(id)).CategoryCodes);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM resident_category_history WHERE resident_id = {residentId} AND valid_from IS NULL AND valid_to = '2023-09-30' AND opened_by_import IS NULL"));
    }

    [Fact]
    public async Task An_exit_dated_before_the_category_began_is_an_error()
    {
        var id = WenxiIds.Next();
        using var client = await ImportClient.SignInAsync(Server);
        await client.UploadAsync(Hardship(["1", "石门乡", "石门村", "沈十二", id, "突发严重困难人口"]), "hardship", asOf: "2023-06-01");

        var (_, body) = await client.UploadAsync(Changes(["1", "石门乡", "石门村", "沈十二", id, "退出", "突发严重困难人口", "2023-05-31"]), "changes");

        Assert.Equal("rejected", body.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal("退出日期2023-05-31早于该类别的开始日期2023-06-01", body.GetProperty("problems")[0].GetProperty("reason").GetString());
        Assert.Equal(["tufa-kunnan"], (await FindAsync(id)).CategoryCodes);
    }

    [Fact]
    public async Task The_enrollment_list_records_last_year_s_payment_and_adds_missing_residents()
    {
        var (known, newcomer) = (WenxiIds.Next(), WenxiIds.Next());
        var knownId = await Server.SeedAsync("韩十三", known, policyId: ImportClient.PolicyId, township: "后官乡", village: "后官村");
        using var client = await ImportClient.SignInAsync(Server);

        var (_, body) = await client.UploadAsync(ImportFiles.Xlsx([
            ImportFiles.EnrollmentHeader,
            ["1", "后官乡", "后官村", "韩十三", known, ImportFiles.NumberPrefix + "2023", ImportFiles.NumberPrefix + "44880", "350"],
            ["2", "后官乡", "后官村", "杨十四", newcomer, "2023年", "2022-12-01", ""]]), "enrollment");

        var report = body.GetProperty("report");
        Assert.Equal("applied", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("residentsCreated").GetInt32());
        Assert.Equal(2, report.GetProperty("paymentsRecorded").GetInt32());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_events WHERE resident_id = {knownId} AND benefit_year = 2023 AND paid_on = '2022-11-15' AND amount_fen = 35000 AND source = 'enrollment'"));
        var yang = await FindAsync(newcomer);
        Assert.Equal(2023, yang.PaidYear);
        Assert.Equal(new DateOnly(2022, 12, 1), yang.PaidOn);

        var wrongYear = await client.UploadAsync(ImportFiles.Csv([ImportFiles.EnrollmentHeader, ["1", "后官乡", "后官村", "韩十三", known, "2024", "2023-11-01", ""]]), "enrollment");
        Assert.Equal("去年缴费名单的缴费年度应为2023年，这一行是2024年", wrongYear.Body.GetProperty("problems")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_tax_file_records_each_payment_once_marks_the_payer_and_reports_unknown_people()
    {
        var (payer, unpaid, stranger, renamed) = (WenxiIds.Next(), WenxiIds.Next(), WenxiIds.Next(), WenxiIds.Next());
        var payerId = await Server.SeedAsync("朱十五", payer, policyId: ImportClient.PolicyId, township: "郭家庄镇", village: "郭家庄村");
        await Server.SeedAsync("秦十六", unpaid, policyId: ImportClient.PolicyId, township: "郭家庄镇", village: "郭家庄村");
        await Server.SeedAsync("尤十七", renamed, policyId: ImportClient.PolicyId, township: "郭家庄镇", village: "郭家庄村");
        using var client = await ImportClient.SignInAsync(Server);
        string[][] rows =
        [
            ImportFiles.TaxHeader,
            ["1", payer, "朱十五", "2024", "2023-11-05", "380.00", "已缴费"],
            ["2", unpaid, "秦十六", "2024", "", "", "未缴费"],
            ["3", stranger, "许十八", "2024", "2023-11-05", "380", "已缴费"],
            ["4", renamed, "尤十八", "2024", "2023-11-05", "380", "已缴费"],
        ];

        var (_, body) = await client.UploadAsync(ImportFiles.Xlsx(rows), "tax");
        var again = await client.UploadAsync(ImportFiles.Csv(rows, bom: true), "tax", fileName: "税务.csv");

        var report = body.GetProperty("report");
        Assert.Equal("applied", report.GetProperty("status").GetString());
        Assert.Equal(1, report.GetProperty("paymentsRecorded").GetInt32());
        Assert.Equal(2, report.GetProperty("skippedRows").GetInt32());
        Assert.Equal(0, report.GetProperty("residentsCreated").GetInt32());
        Assert.Equal(["unknownPerson", "nameMismatch"], body.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
        Assert.Null(await Server.Services.GetRequiredService<ResidentRegistry>().FindAsync(ImportClient.PolicyId, WenxiIds.Parse(stranger), CancellationToken.None));
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_events WHERE resident_id = {payerId} AND benefit_year = 2024 AND paid_on = '2023-11-05' AND amount_fen = 38000 AND source = 'tax-file' AND batch_id = '{report.GetProperty("paymentBatchId").GetString()}'"));
        Assert.Equal(2024, (await FindAsync(payer)).PaidYear);
        Assert.Null((await FindAsync(unpaid)).PaidYear);
        var second = again.Body.GetProperty("report");
        Assert.Equal("applied", second.GetProperty("status").GetString());
        Assert.Equal(0, second.GetProperty("paymentsRecorded").GetInt32());
        Assert.Equal(2, second.GetProperty("unchangedRows").GetInt32());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_events WHERE resident_id = {payerId}"));
    }

    [Fact]
    public async Task A_tax_row_that_is_paid_but_has_no_amount_or_a_bad_status_is_an_error()
    {
        var id = WenxiIds.Next();
        using var client = await ImportClient.SignInAsync(Server);

        var (_, body) = await client.UploadAsync(ImportFiles.Csv([
            ImportFiles.TaxHeader,
            ["1", id, "何十九", "2024", "2023-11-05", "", "已缴费"],
            ["2", WenxiIds.Next(), "吕二十", "2024", "2023-11-05", "380.123", "已缴费"],
            ["3", WenxiIds.Next(), "施廿一", "2025", "2023-11-05", "380", "已缴费"],
            ["4", WenxiIds.Next(), "张廿二", "2024", "2023-11-05", "380", "处理中"],
            ["5", "1.40823198001011E+17", "孔廿三", "2024", "2023-11-05", "380", "已缴费"]]), "tax");

        Assert.Equal("rejected", body.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal(["amountEmpty", "amountInvalid", "yearNotPolicy", "statusInvalid", "idAsNumber"], body.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task A_repeated_tax_row_is_skipped_but_one_number_with_two_names_is_an_error()
    {
        var (payer, other) = (WenxiIds.Next(), WenxiIds.Next());
        var payerId = await Server.SeedAsync("严廿九", payer, policyId: ImportClient.PolicyId, township: "东镇镇", village: "南街村");
        using var client = await ImportClient.SignInAsync(Server);

        var repeated = await client.UploadAsync(ImportFiles.Csv([
            ImportFiles.TaxHeader,
            ["1", payer, "严廿九", "2024", "2023-11-05", "380", "已缴费"],
            ["2", payer, "严廿九", "2024", "2023-11-06", "380", "已缴费"]]), "tax");
        var twoNames = await client.UploadAsync(ImportFiles.Csv([
            ImportFiles.HardshipHeader,
            ["1", "东镇镇", "南街村", "华三十", other, "孤儿"],
            ["2", "东镇镇", "南街村", "华卅", other, "突发严重困难人口"]]), "hardship");

        Assert.Equal("applied", repeated.Body.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal("与第2行重复", Assert.Single(repeated.Body.GetProperty("problems").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM payment_events WHERE resident_id = {payerId} AND paid_on = '2023-11-05'"));
        Assert.Equal("rejected", twoNames.Body.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal("同一身份证号码在第2行的姓名不同", Assert.Single(twoNames.Body.GetProperty("problems").EnumerateArray()).GetProperty("reason").GetString());
    }

    private async Task<Resident> FindAsync(string idNumber) =>
        await Server.Services.GetRequiredService<ResidentRegistry>().FindAsync(ImportClient.PolicyId, WenxiIds.Parse(idNumber), CancellationToken.None)
        ?? throw new InvalidOperationException("not in the registry");

    private static long Id(JsonElement body) => body.GetProperty("report").GetProperty("id").GetInt64();

    private static byte[] Hardship(params string[][] rows) => ImportFiles.Xlsx([ImportFiles.HardshipHeader, .. rows]);

    private static byte[] Changes(params string[][] rows) => ImportFiles.Xlsx([ImportFiles.ChangesHeader, .. rows]);
}
