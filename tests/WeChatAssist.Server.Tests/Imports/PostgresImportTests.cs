using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>The PostgreSQL path (binary COPY into staging, set-based merge, advisory lock) gives the same results as SQLite's.</summary>
public sealed class PostgresImportTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Hardship_changes_enrollment_and_tax_files_apply_on_postgres()
    {
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());
        var (a, b, c) = (WenxiIds.Next(), WenxiIds.Next(), WenxiIds.Next());
        using var client = await ImportClient.SignInAsync(server);

        var hardship = await client.UploadAsync(ImportFiles.Xlsx([
            ImportFiles.HardshipHeader,
            ["1", "桐城镇", "上院村", "张三", a, "农村低保家庭成员"],
            ["2", "桐城镇", "上院村", "张三", a, "丧失劳动能力的残疾人员"],
            ["3", "东镇镇", "南街村", "李四", b, "孤儿"]]), "hardship", asOf: "2023-01-01");
        var changes = await client.UploadAsync(ImportFiles.Csv([
            ImportFiles.ChangesHeader,
            ["1", "桐城镇", "上院村", "张三", a, "退出", "农村低保家庭成员", "2023-10-15"],
            ["2", "河底镇", "河底村", "王五", c, "新增", "返贫致贫人口", "2023-10-20"],
            ["3", "东镇镇", "南街村", "李四", b, "新增", "突发严重困难人口", "2023-10-21"]], ImportFiles.Gb18030), "changes");
        var registeredLater = await server.SeedAsync("周七", WenxiIds.Next(), policyId: ImportClient.PolicyId, township: "桐城镇", village: "上院村");
        var enrollment = await client.UploadAsync(ImportFiles.Csv([ImportFiles.EnrollmentHeader, ["1", "东镇镇", "南街村", "李四", b, "2023", "2022-11-20", "350"]]), "enrollment");
        var tax = ImportFiles.Csv([
            ImportFiles.TaxHeader,
            ["1", a, "张三", "2024", "2023-11-05", "380", "已缴费"],
            ["2", b, "李四", "2024", "", "", "未缴费"],
            ["3", WenxiIds.Next(), "赵六", "2024", "2023-11-05", "380", "已缴费"]]);
        var taxFirst = await client.UploadAsync(tax, "tax");
        var taxAgain = await client.UploadAsync(tax, "tax");

        Assert.Equal(["applied", "applied", "applied", "applied", "duplicate"], new[] { hardship, changes, enrollment, taxFirst, taxAgain }.Select(r => r.Body.GetProperty("report").GetProperty("status").GetString()));
        var registry = server.Services.GetRequiredService<ResidentRegistry>();
        var zhang = (await registry.FindAsync(ImportClient.PolicyId, WenxiIds.Parse(a), CancellationToken.None))!;
        Assert.Equal(["canji"], zhang.CategoryCodes);
        Assert.Equal(2024, zhang.PaidYear);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM resident_category_history WHERE resident_id = {zhang.Id} AND category_code = 'dibao' AND valid_from = DATE '2023-01-01' AND valid_to = DATE '2023-10-15'"));
        Assert.Equal(["fanpin-zhipin"], (await registry.FindAsync(ImportClient.PolicyId, WenxiIds.Parse(c), CancellationToken.None))!.CategoryCodes);
        var li = (await registry.FindAsync(ImportClient.PolicyId, WenxiIds.Parse(b), CancellationToken.None))!;
        Assert.Equal(2023, li.PaidYear);
        Assert.Equal(["tekun", "tufa-kunnan"], li.CategoryCodes);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM resident_category_history WHERE resident_id = {li.Id} AND category_code = 'tufa-kunnan' AND valid_from = DATE '2023-10-21'"));
        Assert.True(registeredLater > li.Id, "a resident registered after an import gets a fresh id");
        Assert.Equal(1, taxFirst.Body.GetProperty("report").GetProperty("paymentsRecorded").GetInt32());
        Assert.Equal(1, taxFirst.Body.GetProperty("report").GetProperty("skippedRows").GetInt32());
        Assert.Equal(2, await server.CountAsync("SELECT COUNT(*) FROM payment_events"));
        Assert.Equal(1, await server.CountAsync("SELECT COUNT(*) FROM import_problems WHERE code = 'unknownPerson'"));
    }

    [Fact]
    public async Task Two_uploads_of_one_file_at_once_apply_it_once()
    {
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());
        var file = ImportFiles.Xlsx([ImportFiles.HardshipHeader, .. Enumerable.Range(1, 200).Select(i => new[] { i.ToString(System.Globalization.CultureInfo.InvariantCulture), "桐城镇", "上院村", "同名", WenxiIds.Next(), "孤儿" })]);
        using var first = await ImportClient.SignInAsync(server);
        using var second = await ImportClient.SignInAsync(server);

        var results = await Task.WhenAll(first.UploadAsync(file, "hardship"), second.UploadAsync(file, "hardship"));

        Assert.Equal(["applied", "duplicate"], results.Select(r => r.Body.GetProperty("report").GetProperty("status").GetString()).Order());
        Assert.Equal(200, await server.CountAsync("SELECT COUNT(*) FROM residents"));
        Assert.Equal(200, await server.CountAsync("SELECT COUNT(*) FROM resident_category_history"));
    }
}
