using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Links;
using WeChatAssist.Server.Tests.Policies;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.PolicyDrafts;

/// <summary>
/// Draft → approve → publish through the API, on SQLite and PostgreSQL, with the made-up 彭水 2025 draft (test data,
/// not a real notice: every date of pengshui-2024 one year later, 低保 and 重度残疾 tier 1 amounts changed).
/// </summary>
public sealed class PolicyDraftTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Drafts = "/api/v1/admin/policies/drafts";

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_draft_shows_its_diff_and_preview_and_a_second_bureau_member_publishes_it(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var sqlite = new TempSqliteFile();
        var connectionString = provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString;
        await using var server = await ResidentServer.StartAsync(provider, connectionString);
        var uploaderName = await server.CreateAsync(StaffRole.Bureau, null, null);
        var approverName = await server.CreateAsync(StaffRole.Bureau, null, null);
        using var uploader = await server.SignedInAsync(uploaderName);
        using var approver = await server.SignedInAsync(approverName);

        var (created, draft) = await UploadAsync(uploader, DraftBytes(), "pengshui-2025.yaml");
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("pengshui-2025", draft.GetProperty("draft").GetProperty("policyId").GetString());
        Assert.Empty(draft.GetProperty("faults").EnumerateArray());
        var id = draft.GetProperty("draft").GetProperty("id").GetInt64();

        // The diff from the county's previous policy shows exactly the made-up changes (amounts, and dates a year on).
        var diff = draft.GetProperty("diff");
        Assert.Equal("pengshui-2024", diff.GetProperty("previousPolicyId").GetString());
        var changes = diff.GetProperty("changes").EnumerateArray()
            .Select(c => $"{c.GetProperty("area").GetString()}|{c.GetProperty("item").GetString()}|{c.GetProperty("before").GetString()}|{c.GetProperty("after").GetString()}").ToList();
        Assert.Equal(17, changes.Count);
        Assert.Equal(
            [
                "groups|城乡最低生活保障人员 (dibao) tier 1 subsidy|342元|361元",
                "groups|城乡最低生活保障人员 (dibao) tier 1 individual|38元|19元",
                "groups|城乡重度1-2级残疾人员 (zhongcan) tier 1 subsidy|266元|285元",
                "groups|城乡重度1-2级残疾人员 (zhongcan) tier 1 individual|114元|95元",
            ],
            changes.Where(c => c.StartsWith("groups|", StringComparison.Ordinal) || c.StartsWith("amounts|", StringComparison.Ordinal)));
        // 2025 comes under 国办发〔2024〕38号 (2024 did not): the national layer is a change although the county file is silent on it.
        Assert.Contains("national|国办发〔2024〕38号||applies from benefit year 2025", changes);
        Assert.Contains("national|国办发〔2024〕38号 waiting period||overridden by the county notice", changes);

        // The preview defaults to the window's first day while the business date is before it.
        var preview = draft.GetProperty("preview");
        Assert.Equal("2024-10-12", preview.GetProperty("on").GetString());
        var dibao = preview.GetProperty("quotes").EnumerateArray().Single(q => q.GetProperty("code").GetString() == "dibao" && q.GetProperty("tier").GetInt32() == 1);
        Assert.Equal(19_00, dibao.GetProperty("dueFen").GetInt64());
        Assert.False(draft.GetProperty("canApprove").GetBoolean());
        Assert.Equal("ownDraft", draft.GetProperty("cannotApproveReason").GetString());

        // Nobody approves their own draft.
        var (own, ownBody) = await PostAsync(uploader, $"{Drafts}/{id}/approve");
        Assert.Equal(HttpStatusCode.Forbidden, own);
        Assert.Equal("draftOwn", ownBody.GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync(new Uri("/api/v1/policies/pengshui-2025", UriKind.Relative))).StatusCode);

        var (status, detail) = await approver.GetJsonAsync($"{Drafts}/{id}?on=2024-11-01");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(detail.GetProperty("canApprove").GetBoolean());
        Assert.Equal("2024-11-01", detail.GetProperty("preview").GetProperty("on").GetString());

        var (approved, publication) = await PostAsync(approver, $"{Drafts}/{id}/approve");
        Assert.Equal(HttpStatusCode.OK, approved);
        Assert.Equal(1, publication.GetProperty("version").GetInt32());
        Assert.Equal("2024-10-12", publication.GetProperty("collectionOpens").GetString());

        // Live on this node at once: the quote API answers from the published policy.
        var quote = await server.Client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/policies/pengshui-2025/quote?category=dibao&tier=1&paidOn=2024-11-01", UriKind.Relative));
        Assert.Equal(19_00, quote.GetProperty("individualDueFen").GetInt64());

        var (again, againBody) = await PostAsync(approver, $"{Drafts}/{id}/approve");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Equal("draftAlreadyPublished", againBody.GetProperty("code").GetString());

        // Every step is in the staff audit; the published row cannot be changed.
        await using var target = Databases.Target(provider, connectionString);
        Assert.Equal(1L, await Databases.ScalarAsync(target, $"SELECT count(*) FROM staff_audit_log WHERE action = 'policies.draft.upload' AND staff_user = '{uploaderName}' AND target = 'draft:{id} pengshui-2025'"));
        Assert.Equal(1L, await Databases.ScalarAsync(target, $"SELECT count(*) FROM staff_audit_log WHERE action = 'policies.draft.read' AND staff_user = '{approverName}'"));
        Assert.Equal(1L, await Databases.ScalarAsync(target, $"SELECT count(*) FROM staff_audit_log WHERE action = 'policies.draft.approve' AND staff_user = '{approverName}' AND target = 'draft:{id} pengshui-2025 v1'"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Databases.ScalarAsync(target, "UPDATE published_policies SET yaml = 'x' WHERE policy_id = 'pengshui-2025'"));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_correction_is_published_as_the_next_version_and_replaces_the_first(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString);
        using var a = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));
        using var b = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));

        var (_, first) = await UploadAsync(a, DraftBytes(), "pengshui-2025.yaml");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(b, $"{Drafts}/{Id(first)}/approve")).Status);
        var corrected = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(DraftBytes()).Replace("{ tier: 1, yuan: 361, individualYuan: 19 }", "{ tier: 1, yuan: 362, individualYuan: 18 }", StringComparison.Ordinal));
        var (_, second) = await UploadAsync(a, corrected, "pengshui-2025.yaml");

        // The correction is compared with the version it replaces.
        var changes = second.GetProperty("diff").GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("item").GetString()).ToList();
        Assert.Equal(["城乡最低生活保障人员 (dibao) tier 1 subsidy", "城乡最低生活保障人员 (dibao) tier 1 individual"], changes);
        var (status, publication) = await PostAsync(b, $"{Drafts}/{Id(second)}/approve");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, publication.GetProperty("version").GetInt32());
        var quote = await server.Client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/policies/pengshui-2025/quote?category=dibao&tier=1&paidOn=2024-11-01", UriKind.Relative));
        Assert.Equal(18_00, quote.GetProperty("individualDueFen").GetInt64());
    }

    [Fact]
    public async Task A_draft_with_a_fault_is_stored_with_its_line_and_column_and_cannot_be_approved()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        using var a = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));
        using var b = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));
        var broken = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(DraftBytes()).Replace("  cites: [national-fiscal-subsidy-2024, s5-3-d]", "  cites: [national-fiscal-subsidy-2025, s5-3-d]", StringComparison.Ordinal));

        var (created, draft) = await UploadAsync(a, broken, "pengshui-2025.yaml");
        Assert.Equal(HttpStatusCode.Created, created);
        var fault = Assert.Single(draft.GetProperty("faults").EnumerateArray());
        Assert.Equal("pengshui-2025.yaml", fault.GetProperty("file").GetString());
        Assert.True(fault.GetProperty("line").GetInt32() > 100 && fault.GetProperty("column").GetInt32() > 1, fault.ToString());
        Assert.Contains("dangling clause id 'national-fiscal-subsidy-2025'", fault.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("preview").ValueKind);

        var (status, body) = await PostAsync(b, $"{Drafts}/{Id(draft)}/approve");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("draftHasFaults", body.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_file_over_1_MB_or_not_UTF8_is_refused_with_a_clear_message()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        using var a = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));

        var (large, largeBody) = await UploadAsync(a, [.. DraftBytes(), .. Encoding.UTF8.GetBytes("# " + new string('x', 1024 * 1024))], "big.yaml");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large);
        Assert.Contains("1MB", largeBody.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (gbk, gbkBody) = await UploadAsync(a, [.. Encoding.UTF8.GetBytes("formatVersion: 1\nname: "), 0xD1, 0xF9, 0xC0, 0xFD, (byte)'\n'], "gbk.yaml");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, gbk);
        Assert.Equal("draftNotUtf8", gbkBody.GetProperty("code").GetString());
        Assert.Contains("第2行第7列", gbkBody.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty((await a.GetJsonAsync(Drafts)).Body.EnumerateArray());
    }

    [Fact]
    public async Task A_bureau_member_of_another_county_can_neither_upload_nor_see_the_draft()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        using var pengshui = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));
        using var suiping = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null, "suiping-2025"));
        using var township = await server.SignedInAsync(await server.CreateAsync(StaffRole.Township, "汉葭街道", null));

        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(suiping, DraftBytes(), "pengshui-2025.yaml")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(township, DraftBytes(), "pengshui-2025.yaml")).Status);
        var (_, draft) = await UploadAsync(pengshui, DraftBytes(), "pengshui-2025.yaml");
        Assert.Equal(HttpStatusCode.NotFound, (await suiping.GetJsonAsync($"{Drafts}/{Id(draft)}")).Status);
        Assert.Empty((await suiping.GetJsonAsync(Drafts)).Body.EnumerateArray());
        Assert.Single((await pengshui.GetJsonAsync(Drafts)).Body.EnumerateArray());
    }

    [Fact]
    public async Task Approved_on_one_node_another_node_of_the_same_PostgreSQL_answers_with_it_within_5_seconds()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var first = await ResidentServer.StartAsync(DatabaseProvider.Postgres, connectionString);
        await using var second = await ResidentServer.StartAsync(DatabaseProvider.Postgres, connectionString);
        using var a = await first.SignedInAsync(await first.CreateAsync(StaffRole.Bureau, null, null));
        using var b = await first.SignedInAsync(await first.CreateAsync(StaffRole.Bureau, null, null));
        const string Quote = "/api/v1/policies/pengshui-2025/quote?category=zhongcan&tier=1&paidOn=2024-11-01";
        Assert.Equal(HttpStatusCode.NotFound, (await second.Client.GetAsync(new Uri(Quote, UriKind.Relative))).StatusCode);

        var (_, draft) = await UploadAsync(a, DraftBytes(), "pengshui-2025.yaml");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(b, $"{Drafts}/{Id(draft)}/approve")).Status);
        var approvedAt = Stopwatch.StartNew();

        HttpResponseMessage answer;
        while ((answer = await second.Client.GetAsync(new Uri(Quote, UriKind.Relative))).StatusCode != HttpStatusCode.OK && approvedAt.Elapsed < TimeSpan.FromSeconds(5))
        {
            answer.Dispose();
            await Task.Delay(100);
        }

        using (answer)
        {
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"the second node still answers {answer.StatusCode} {approvedAt.Elapsed.TotalSeconds:F1} s after the approval");
            var quote = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(95_00, quote.GetProperty("individualDueFen").GetInt64());
        }
    }

    private static long Id(JsonElement detail) => detail.GetProperty("draft").GetProperty("id").GetInt64();

    private static byte[] DraftBytes() => File.ReadAllBytes(Path.Combine(RepoFiles.Root(), "tests", "WeChatAssist.Policy.Tests", "Authoring", "pengshui-2025-draft.yaml"));

    private static async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(HttpClient client, byte[] content, string fileName)
    {
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var response = await client.PostAsync(new Uri($"{Drafts}?fileName={Uri.EscapeDataString(fileName)}", UriKind.Relative), body);
        return (response.StatusCode, await ReadAsync(response));
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), null);
        return (response.StatusCode, await ReadAsync(response));
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }
}
