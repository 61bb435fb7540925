using System.Net;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Policy;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Links;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Links;

/// <summary>Cadre share links end to end: creation with both QR codes, poster and group text; the landing page's figures
/// from the policy engine; visits, follows and payments attributed to the link.</summary>
public sealed class LinksTests(SqliteResidentServerFixture fixture, PostgresServer postgres) : IClassFixture<SqliteResidentServerFixture>, IClassFixture<PostgresServer>
{
    /// <summary>WeChat's in-app browser on an Android phone.</summary>
    private const string WeChatBrowser = "Mozilla/5.0 (Linux; Android 12; V2183A Build/SP1A.210812.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5127 MMWEBSDK/20230604 MMWEBID/1234 MicroMessenger/8.0.38.2400(0x28002653) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64";

    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task A_cadre_creates_a_link_for_their_village_with_a_parametric_follow_QR_a_poster_and_group_text()
    {
        var township = NewTownship();
        using var cadre = await Server.SignedInAsync(await Server.CreateAsync(StaffRole.Village, township, "文家村"));

        var (status, link) = await cadre.PostJsonAsync("/api/v1/links", new { });

        Assert.Equal(HttpStatusCode.Created, status);
        var code = link.GetProperty("code").GetString()!;
        Assert.True(ShareLinkCode.IsWellFormed(code), code);
        Assert.Equal("文家村", link.GetProperty("village").GetString());
        Assert.EndsWith("/s/" + code, link.GetProperty("landingUrl").GetString(), StringComparison.Ordinal);
        Assert.Equal($"/s/{code}/follow.svg", link.GetProperty("followQrUrl").GetString());
        Assert.True(link.GetProperty("miniProgramLinkIssued").GetBoolean());
        var calls = Server.Services.GetRequiredService<SimulatorCallLog>().Calls();
        Assert.Contains(calls, c => c.Endpoint.Contains("qrcode/create", StringComparison.Ordinal) && c.Body!.Contains($"\"link:{code}\"", StringComparison.Ordinal) && c.Body.Contains("QR_LIMIT_STR_SCENE", StringComparison.Ordinal));

        var policy = Pengshui();
        var share = link.GetProperty("shareText").GetString()!;
        Assert.Contains("文家村", share, StringComparison.Ordinal);
        Assert.Contains(PolicyFormat.Yuan(policy.Tiers[0].IndividualFen), share, StringComparison.Ordinal);
        Assert.Contains(PolicyFormat.Date(policy.CollectionWindow.To), share, StringComparison.Ordinal);
        Assert.Contains(link.GetProperty("landingUrl").GetString()!, share, StringComparison.Ordinal);

        using var png = await cadre.GetAsync(new Uri(link.GetProperty("qrPngUrl").GetString()!, UriKind.Relative));
        var bytes = await png.Content.ReadAsByteArrayAsync();
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);

        var poster = await cadre.GetStringAsync(new Uri(link.GetProperty("posterUrl").GetString()!, UriKind.Relative));
        Assert.StartsWith("<svg", poster.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("文家村", poster, StringComparison.Ordinal);
        Assert.Contains(policy.Name, poster, StringComparison.Ordinal);
        Assert.Equal(2, CountOccurrences(poster, "<g transform"));
    }

    [Fact]
    public async Task A_cadre_cannot_make_or_read_links_of_another_village()
    {
        var township = NewTownship();
        using var mine = await Server.SignedInAsync(await Server.CreateAsync(StaffRole.Village, township, "甲村"));
        using var other = await Server.SignedInAsync(await Server.CreateAsync(StaffRole.Village, township, "乙村"));
        var (_, link) = await mine.PostJsonAsync("/api/v1/links", new { });
        var code = link.GetProperty("code").GetString()!;

        var (forbidden, _) = await mine.PostJsonAsync("/api/v1/links", new { village = "乙村" });
        using var poster = await other.GetAsync(new Uri($"/api/v1/links/{code}/poster.svg", UriKind.Relative));
        var (_, list) = await other.GetJsonAsync("/api/v1/links");

        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal(HttpStatusCode.NotFound, poster.StatusCode);
        Assert.Equal(0, list.GetArrayLength());
    }

    [Fact]
    public async Task Township_staff_must_name_the_village_of_a_link()
    {
        using var township = await Server.SignedInAsync(await Server.CreateAsync(StaffRole.Township, NewTownship(), null));

        var (missing, problem) = await township.PostJsonAsync("/api/v1/links", new { });
        var (created, _) = await township.PostJsonAsync("/api/v1/links", new { village = "丙村" });

        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Equal("linkNeedsVillage", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Created, created);
    }

    [Fact]
    public async Task The_landing_page_shows_the_policy_figures_and_counts_visits_without_storing_who_visited()
    {
        using var cadre = await Server.SignedInAsync(await Server.CreateAsync(StaffRole.Village, NewTownship(), "文家村"));
        var (_, link) = await cadre.PostJsonAsync("/api/v1/links", new { });
        var code = link.GetProperty("code").GetString()!;
        using var resident = Server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        resident.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", WeChatBrowser);

        using var first = await resident.GetAsync(new Uri($"/s/{code}", UriKind.Relative));
        var html = await first.Content.ReadAsStringAsync();
        using var second = await resident.GetAsync(new Uri($"/s/{code}", UriKind.Relative));
        using var follow = await resident.GetAsync(new Uri($"/s/{code}/follow.svg", UriKind.Relative));

        var policy = Pengshui();
        var quote = policy.Quote(ResidentFacts.Ordinary, new DateOnly(2023, 11, 15));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("text/html", first.Content.Headers.ContentType?.MediaType);
        foreach (var tier in policy.Tiers)
        {
            Assert.Contains(PolicyFormat.Yuan(tier.IndividualFen), html, StringComparison.Ordinal);
        }

        Assert.Contains(PolicyFormat.Date(policy.CollectionWindow.From), html, StringComparison.Ordinal);
        Assert.Contains(PolicyFormat.Date(quote.Deadline!.Value), html, StringComparison.Ordinal);
        Assert.Contains("今天可以缴费", html, StringComparison.Ordinal);
        Assert.Contains("id=\"open-miniprogram\" href=\"", html, StringComparison.Ordinal);
        Assert.Contains($"/s/{code}/follow.svg", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.False(first.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.OK, follow.StatusCode);
        Assert.Equal(2, await Server.CountAsync($"SELECT SUM(visits) FROM link_visits WHERE code = '{code}' AND day = '2023-11-15'"));
    }

    [Theory]
    [InlineData("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")]
    [InlineData("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)")]
    [InlineData("Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)")]
    [InlineData("curl/8.5.0")]
    [InlineData("")]
    public async Task Crawlers_previews_and_scripts_get_the_page_but_are_not_counted_as_visits(string userAgent)
    {
        using var cadre = await Server.SignedInAsync(await Server.CreateAsync(StaffRole.Village, NewTownship(), "文家村"));
        var (_, link) = await cadre.PostJsonAsync("/api/v1/links", new { });
        var code = link.GetProperty("code").GetString()!;
        using var person = Server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        person.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", WeChatBrowser);
        using var crawler = Server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        crawler.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", userAgent);

        using var crawled = await crawler.GetAsync(new Uri($"/s/{code}", UriKind.Relative));
        using var visited = await person.GetAsync(new Uri($"/s/{code}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, crawled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, visited.StatusCode);
        Assert.Equal(1, await Server.CountAsync($"SELECT SUM(visits) FROM link_visits WHERE code = '{code}'"));
    }

    [Theory]
    [InlineData("zzzzzzzz")]
    [InlineData("not-a-code")]
    public async Task An_unknown_code_gets_a_plain_404_page(string code)
    {
        using var response = await Server.Client.GetAsync(new Uri($"/s/{code}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("链接已失效", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_payment_of_a_resident_who_followed_through_the_link_is_attributed_to_it(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(
            onPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            onPostgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString);
        var township = NewTownship();
        using var cadre = await server.SignedInAsync(await server.CreateAsync(StaffRole.Village, township, "文家村"));
        var (_, link) = await cadre.PostJsonAsync("/api/v1/links", new { });
        var code = link.GetProperty("code").GetString()!;

        // One resident arrived through the link's QR scene and bound themself in the mini-program; one did not.
        var followerId = TestIds.Next();
        var follower = await server.SeedAsync("周一", followerId, township: township);
        var other = await server.SeedAsync("周二", TestIds.Next(), township: township);
        var openId = TestIds.OpenId();
        // Scanned the poster's follow code (subscribe with qrscene_), later scanned it again (SCAN), both through the webhook.
        await PushEventAsync(server, openId, "subscribe", "qrscene_link:" + code);
        await PushEventAsync(server, openId, "SCAN", "link:" + code);
        Assert.Equal(2, await server.CountAsync($"SELECT COUNT(*) FROM follower_scene WHERE open_id = '{openId}' AND scene = 'link:{code}'"));
        // Later the same person scanned another village's link: the first link they came through keeps the credit.
        using var laterCadre = await server.SignedInAsync(await server.CreateAsync(StaffRole.Village, township, "别的村"));
        var (_, laterLink) = await laterCadre.PostJsonAsync("/api/v1/links", new { });
        var laterCode = laterLink.GetProperty("code").GetString()!;
        await PushEventAsync(server, openId, "SCAN", "link:" + laterCode);
        var token = await server.SessionAsync(openId);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, "周一", followerId)).Status);

        var ledger = server.Services.GetRequiredService<PaymentLedger>();
        await ledger.RecordAsync([new PaymentRecord(follower, 2024, new DateOnly(2023, 11, 16)), new PaymentRecord(other, 2024, new DateOnly(2023, 11, 16))], "tax-file", CancellationToken.None);

        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM link_payments WHERE code = '{code}' AND resident_id = {follower}"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM link_payments WHERE resident_id = {other}"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM link_payments WHERE code = '{laterCode}'"));
        var (_, list) = await cadre.GetJsonAsync("/api/v1/links");
        var row = Assert.Single(list.EnumerateArray());
        Assert.Equal(1, row.GetProperty("follows").GetInt64());
        Assert.Equal(1, row.GetProperty("payments").GetInt64());
    }

    private static async Task PushEventAsync(ResidentServer server, string openId, string eventName, string eventKey)
    {
        var account = server.Services.GetRequiredService<IOptionsMonitor<WeChatOptions>>().CurrentValue.Accounts[ResidentServer.Account];
        var xml = WeChatPushSimulator.Event("gh_pengshui", openId, eventName, eventKey, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var result = await new WeChatPushSimulator(server.Client).PushAsync(new Uri(server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), account, xml, encrypt: true, CancellationToken.None);
        Assert.Equal(200, result.StatusCode);
    }

    private static InsurancePolicy Pengshui() => PolicyCatalog.LoadShipped().Get("pengshui-2024");

    private static string NewTownship() => "镇" + Guid.NewGuid().ToString("N")[..6];

    private static int CountOccurrences(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
