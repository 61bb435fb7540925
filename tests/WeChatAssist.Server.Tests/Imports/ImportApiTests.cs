using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>The admin import API's contract: who may call it, problem+json for unusable requests and files,
/// the history, and no personal data in any log line.</summary>
public sealed class ImportApiTests(SqliteImportServerFixture fixture) : IClassFixture<SqliteImportServerFixture>
{
    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task Village_cadres_cannot_import_and_nobody_unsigned()
    {
        using var anonymous = Server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var village = "v" + Guid.NewGuid().ToString("N")[..10];
        await Server.Services.GetRequiredService<StaffStore>().CreateAsync(village, "village-password-1", StaffRole.Village, ImportClient.PolicyId, "桐城镇", "上院村", CancellationToken.None);
        using var villageClient = await ImportClient.SignInAsync(Server, village, "village-password-1");

        using var list = await anonymous.GetAsync(new Uri("/api/v1/admin/imports", UriKind.Relative));
        var upload = await villageClient.UploadAsync(ImportFiles.Csv([ImportFiles.HardshipHeader]), "hardship");

        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, upload.Status);
    }

    [Fact]
    public async Task Township_staff_import_department_lists_of_their_township_only_and_see_only_their_uploads()
    {
        var township = "t" + Guid.NewGuid().ToString("N")[..10];
        await Server.Services.GetRequiredService<StaffStore>().CreateAsync(township, "township-password-1", StaffRole.Township, ImportClient.PolicyId, "桐城镇", null, CancellationToken.None);
        using var client = await ImportClient.SignInAsync(Server, township, "township-password-1");
        using var bureau = await ImportClient.SignInAsync(Server);
        var (_, bureauImport) = await bureau.UploadAsync(ImportFiles.Csv([ImportFiles.HardshipHeader, ["1", "东镇镇", "南街村", "乔卅一", WenxiIds.Next(), "孤儿"]]), "hardship", mode: "validate");
        var mine = WenxiIds.Next();

        var tax = await client.UploadAsync(ImportFiles.Csv([ImportFiles.TaxHeader, ["1", mine, "乔卅二", "2024", "2023-11-05", "380", "已缴费"]]), "tax");
        var otherPolicy = await client.UploadAsync(ImportFiles.Csv([ImportFiles.HardshipHeader, ["1", "桐城镇", "上院村", "乔卅二", mine, "孤儿"]]), "hardship", policyId: "pengshui-2024");
        var outside = await client.UploadAsync(ImportFiles.Csv([ImportFiles.HardshipHeader, ["1", "桐城镇", "上院村", "乔卅二", mine, "孤儿"], ["2", "东镇镇", "南街村", "乔卅三", WenxiIds.Next(), "孤儿"]]), "hardship");
        var own = await client.UploadAsync(ImportFiles.Csv([ImportFiles.HardshipHeader, ["1", "桐城镇", "上院村", "乔卅二", mine, "孤儿"]]), "hardship");
        var history = await client.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/admin/imports", UriKind.Relative));
        using var someoneElses = await client.Http.GetAsync(new Uri($"/api/v1/admin/imports/{bureauImport.GetProperty("report").GetProperty("id").GetInt64()}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, tax.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherPolicy.Status);
        Assert.Equal("rejected", outside.Body.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal("乡镇（街道）“东镇镇”不在您负责的范围（桐城镇）内", Assert.Single(outside.Body.GetProperty("problems").EnumerateArray()).GetProperty("reason").GetString());
        Assert.Equal("applied", own.Body.GetProperty("report").GetProperty("status").GetString());
        Assert.All(history.EnumerateArray(), i => Assert.Equal(township, i.GetProperty("staffUser").GetString()));
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, someoneElses.StatusCode);
    }

    public static TheoryData<string, string, string, string> BadRequests => new()
    {
        { "kind", "hardship-list", "kindUnknown", "名单类型不对" },
        { "mode", "now", "modeUnknown", "导入方式不对" },
        { "policyId", "nowhere-2024", "policyUnknown", "没有这个政策" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task An_unknown_kind_mode_or_policy_is_a_400_problem(string field, string value, string code, string title)
    {
        using var client = await ImportClient.SignInAsync(Server);
        var file = ImportFiles.Csv([ImportFiles.HardshipHeader]);

        var (status, body) = field switch
        {
            "kind" => await client.UploadAsync(file, value),
            "mode" => await client.UploadAsync(file, "hardship", mode: value),
            _ => await client.UploadAsync(file, "hardship", policyId: value),
        };

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal(title, body.GetProperty("title").GetString());
    }

    public static TheoryData<string, string> BrokenFiles => new()
    {
        { "empty", "fileEmpty" },
        { "truncated", "fileBroken" },
        { "header-only", "fileNoRows" },
        { "wrong-sheet", "fileNoSheet" },
        { "wrong-kind", "fileMissingColumns" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task An_unusable_file_is_a_422_problem_recorded_in_the_history_and_nothing_is_applied(string form, string code)
    {
        var id = WenxiIds.Next();
        string[][] rows = [ImportFiles.HardshipHeader, ["1", "桐城镇", "上院村", "华廿四", id, "孤儿"]];
        var whole = ImportFiles.Xlsx(rows);
        var content = form switch
        {
            "empty" => [],
            "truncated" => whole[..(whole.Length - 200)],
            "header-only" => ImportFiles.Xlsx([ImportFiles.HardshipHeader]),
            "wrong-sheet" => ImportFiles.Xlsx([("统计", [["乡镇", "人数"]])]),
            _ => ImportFiles.Xlsx([ImportFiles.TaxHeader, ["1", id, "华廿四", "2024", "2023-11-05", "380", "已缴费"]]),
        };
        using var client = await ImportClient.SignInAsync(Server);
        var residents = await Server.CountAsync("SELECT COUNT(*) FROM residents");

        var (status, body) = await client.UploadAsync(content, "hardship");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        var importId = body.GetProperty("importId").GetInt64();
        var recorded = JsonDocument.Parse(await client.GetTextAsync($"/api/v1/admin/imports/{importId}")).RootElement.GetProperty("report");
        Assert.Equal("unreadable", recorded.GetProperty("status").GetString());
        Assert.Equal(body.GetProperty("detail").GetString(), recorded.GetProperty("problem").GetString());
        Assert.Equal(residents, await Server.CountAsync("SELECT COUNT(*) FROM residents"));
    }

    [Fact]
    public async Task A_missing_column_is_named_in_the_problem_detail()
    {
        using var client = await ImportClient.SignInAsync(Server);

        var (_, body) = await client.UploadAsync(ImportFiles.Csv([["序号", "乡镇（街道）", "村（社区）", "姓名", "身份证号码"], ["1", "桐城镇", "上院村", "华廿五", WenxiIds.Next()]]), "hardship");

        Assert.Equal("困难人口总名单需要这些列，但表头（第1行）中没有：人员类别。", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_refused_with_413()
    {
        await using var small = await ResidentServer.StartAsync(Data.DatabaseProvider.Sqlite, "Data Source=" + Path.Combine(Path.GetTempPath(), $"wca-imports-{Guid.NewGuid():N}.db"), new Dictionary<string, string?> { ["Imports:MaxFileMegabytes"] = "1" });
        using var client = await ImportClient.SignInAsync(small);

        var (status, body) = await client.UploadAsync(new byte[(1024 * 1024) + 10], "hardship");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("fileTooLarge", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_history_lists_imports_newest_first_and_a_missing_one_is_404()
    {
        using var client = await ImportClient.SignInAsync(Server);
        var (_, first) = await client.UploadAsync(ImportFiles.Xlsx([ImportFiles.HardshipHeader, ["1", "瓜底镇", "瓜底村", "金廿六", WenxiIds.Next(), "孤儿"]]), "hardship", mode: "validate", fileName: "民政局10月.xlsx");
        var (_, second) = await client.UploadAsync(ImportFiles.Xlsx([ImportFiles.HardshipHeader, ["1", "瓜底镇", "瓜底村", "魏廿七", WenxiIds.Next(), "孤儿"]]), "hardship", fileName: "民政局11月.xlsx");

        var history = await client.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/admin/imports?policyId={ImportClient.PolicyId}", UriKind.Relative));
        using var missing = await client.Http.GetAsync(new Uri("/api/v1/admin/imports/999999", UriKind.Relative));

        var ids = history.EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        Assert.True(ids.IndexOf(second.GetProperty("report").GetProperty("id").GetInt64()) < ids.IndexOf(first.GetProperty("report").GetProperty("id").GetInt64()));
        Assert.Contains(history.EnumerateArray(), i => i.GetProperty("fileName").GetString() == "民政局10月.xlsx" && i.GetProperty("mode").GetString() == "validate");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("application/problem+json", missing.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_import_endpoints()
    {
        var document = await Server.Client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Contains("/api/v1/admin/imports/{id}/errors.csv", document, StringComparison.Ordinal);
        Assert.Contains("AdminUploadImport", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_log_line_of_an_import_carries_a_name_or_an_id_number_from_the_file()
    {
        var people = Enumerable.Range(0, 4).Select(i => (Name: "柏" + "甲乙丙丁"[i] + "戊", Id: WenxiIds.Next())).ToList();
        var bad = WenxiIds.BadChecksum();
        using var client = await ImportClient.SignInAsync(Server);
        await Server.SeedAsync(people[3].Name, people[3].Id, policyId: ImportClient.PolicyId, township: "桐城镇", village: "上院村");

        await client.UploadAsync(ImportFiles.Xlsx([ImportFiles.HardshipHeader, .. people.Take(3).Select((p, i) => new[] { (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "桐城镇", "上院村", p.Name, p.Id, "孤儿" })]), "hardship");
        await client.UploadAsync(ImportFiles.Csv([ImportFiles.HardshipHeader, ["1", "桐城镇", "上院村", "柏错", bad, "孤儿"], ["2", "桐城镇", "上院村", "柏名", people[3].Id, "孤儿"]]), "hardship");
        await client.UploadAsync(ImportFiles.Csv([ImportFiles.TaxHeader, .. people.Select((p, i) => new[] { "1", p.Id, p.Name, "2024", "2023-11-05", "380", "已缴费" })]), "tax");
        await client.UploadAsync(ImportFiles.Xlsx([ImportFiles.ChangesHeader, ["1", "桐城镇", "上院村", people[0].Name, people[0].Id, "退出", "孤儿", "2023-11-01"]]), "changes");

        var lines = Server.Logs.Lines.ToList();
        Assert.Contains(lines, l => l.Contains("Import ", StringComparison.Ordinal) && l.Contains("finished applied", StringComparison.Ordinal));
        foreach (var (name, id) in people.Append(("柏错", bad)).Append(("柏名", people[3].Id)))
        {
            Assert.DoesNotContain(lines, l => l.Contains(name, StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(id[6..14], StringComparison.Ordinal) && l.Contains(id[^4..], StringComparison.Ordinal));
            Assert.DoesNotContain(lines, l => l.Contains(id, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_service_runs_for_the_console_without_http()
    {
        var id = WenxiIds.Next();
        var service = Server.Services.GetRequiredService<ImportService>();

        var result = await service.RunAsync(
            new ImportRequest(ImportClient.PolicyId, ImportKind.Hardship, ImportMode.Apply, "console.csv", ImportFiles.Csv([ImportFiles.HardshipHeader, ["1", "社区", "东城社区", "卢廿八", id, "城镇特困供养人员"]]), "console-user"),
            CancellationToken.None);

        Assert.Equal(ImportStatus.Applied, result.Report.Status);
        Assert.Equal("console-user", result.Report.StaffUser);
        Assert.Equal(1, result.Report.ResidentsCreated);
    }
}
