using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Links;
using WeChatAssist.Server.Tests.Policies;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.PolicyDrafts;

/// <summary>
/// A published next-year policy takes over where the county's residents are served — the landing page and the group
/// text of a link made for pengshui-2024, and the mini-program of a resident registered under it — from the first day of its collection window, on both providers
/// (the made-up 彭水 2025 draft, test data only: window 2024-10-12 – 2024-12-31).
/// </summary>
public sealed class PublishedPolicyTakeoverTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_landing_page_shows_the_published_next_year_once_its_collection_window_has_opened(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var sqlite = new TempSqliteFile();
        var connectionString = provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString;
        await using var server = await ResidentServer.StartAsync(provider, connectionString, new Dictionary<string, string?> { ["Clock:Now"] = "2024-10-12T10:00:00+08:00" });
        using var cadre = await server.SignedInAsync(await server.CreateAsync(StaffRole.Village, "保家镇", "文家村"));
        var (_, link) = await cadre.PostJsonAsync("/api/v1/links", new { });
        var code = link.GetProperty("code").GetString()!;
        Assert.Equal("pengshui-2024", link.GetProperty("policyId").GetString());
        // Before publication: last year's window.
        Assert.Contains("集中缴费期：2023年", await server.Client.GetStringAsync(new Uri($"/s/{code}", UriKind.Relative)), StringComparison.Ordinal);

        using var uploader = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));
        using var approver = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));
        using var body = new ByteArrayContent(File.ReadAllBytes(Path.Combine(RepoFiles.Root(), "tests", "WeChatAssist.Policy.Tests", "Authoring", "pengshui-2025-draft.yaml")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var uploaded = await uploader.PostAsync(new Uri("/api/v1/admin/policies/drafts?fileName=pengshui-2025.yaml", UriKind.Relative), body);
        var id = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("draft").GetProperty("id").GetInt64();
        using var approved = await approver.PostAsync(new Uri($"/api/v1/admin/policies/drafts/{id}/approve", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);

        // On the draft's first collection day the same link shows the published year.
        var page = await server.Client.GetStringAsync(new Uri($"/s/{code}", UriKind.Relative));
        Assert.Contains("集中缴费期：2024年10月12日至2024年12月31日", page, StringComparison.Ordinal);
        var (_, list) = await cadre.GetJsonAsync("/api/v1/links");
        var described = (list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("links")).EnumerateArray().Single(l => l.GetProperty("code").GetString() == code);
        Assert.Contains("2024年12月31日", described.GetProperty("shareText").GetString(), StringComparison.Ordinal);

        // The mini-program: a 低保 resident registered under pengshui-2024 sees benefit year 2025 and is sent to pay the
        // published amount (19元, not 2024's 38元).
        var number = TestIds.Next();
        var residentId = await server.SeedAsync("蒋二", number, categories: ["dibao"]);
        var token = await server.SessionAsync(TestIds.OpenId());
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, "蒋二", number)).Status);
        var (_, _, me) = await server.SendAsync(HttpMethod.Get, "/api/v1/mp/me", token, null);
        Assert.Contains("\"benefitYear\":2025", me, StringComparison.Ordinal);
        var (started, payment, text) = await server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId, tier = 1 });
        Assert.True(started == HttpStatusCode.Created, text);
        Assert.Equal((19_00L, 2025), (payment.GetProperty("amountFen").GetInt64(), payment.GetProperty("benefitYear").GetInt32()));
    }
}
