using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Clock;

/// <summary>The demo date of Development: <c>/api/v1/dev/business-date</c> lists each loaded campaign's key days,
/// moves the whole server's business clock, and the choice survives a restart on both providers.</summary>
public sealed class BusinessDateTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Path = "/api/v1/dev/business-date";

    [Fact]
    public async Task Each_loaded_campaign_lists_the_key_days_of_its_notice()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString);

        var view = await server.CreateClient().GetFromJsonAsync<JsonElement>(Path);

        var catalog = server.Services.GetRequiredService<PolicyCatalog>();
        Assert.Equal(catalog.All.Select(p => p.Id).Order(), view.GetProperty("campaigns").EnumerateArray().Select(c => c.GetProperty("policyId").GetString()).Order());
        var pengshui = catalog.Find("pengshui-2024")!;
        var days = KeyDays(view, "pengshui-2024");
        Assert.Equal(pengshui.CollectionWindow.From, days["windowOpens"].Single());
        Assert.Equal(pengshui.CollectionWindow.To.AddDays(-7), days["weekBeforeDeadline"].Single());
        Assert.Equal(pengshui.CollectionWindow.To.AddDays(-1), days["dayBeforeDeadline"].Single());
        Assert.Equal(pengshui.LateRegimes.Select(r => r.Period.From), days["lateRegime"]);
        Assert.False(days.ContainsKey("noPaymentDay"));
        Assert.Equal("pengshui", Campaign(view, "pengshui-2024").GetProperty("account").GetString());

        // 闻喜 takes no payment from the 26th to the month's end (004): the last such day inside its window.
        Assert.Equal(new DateOnly(2023, 11, 26), KeyDays(view, "wenxi-2024")["noPaymentDay"].Single());
        Assert.Empty(KeyDays(view, "suiping-2025").GetValueOrDefault("lateRegime", []));
    }

    [Fact]
    public async Task With_no_choice_the_date_is_today_and_every_campaign_is_past()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString);

        var view = await server.CreateClient().GetFromJsonAsync<JsonElement>(Path);

        var today = server.Services.GetRequiredService<BusinessClock>().Today();
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), view.GetProperty("date").GetString());
        Assert.False(view.GetProperty("moved").GetBoolean());
        // The four notices end in 2024; the simulator's "the notices are past" line rests on this flag.
        var lastPayableDay = server.Services.GetRequiredService<PolicyCatalog>().All.Max(p => p.LateRegimes.Count > 0 ? p.LateRegimes[^1].Period.To : p.CollectionWindow.To);
        Assert.True(today > lastPayableDay);
        Assert.False(view.GetProperty("anyCampaignOpen").GetBoolean());
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_chosen_date_moves_the_servers_business_clock_and_survives_a_restart(string provider)
    {
        using var file = new TempSqliteFile();
        var connectionString = provider == "Sqlite" ? file.ConnectionString : await postgres.CreateDatabaseAsync();
        ServerFactory Start() => provider == "Sqlite" ? ServerFactory.ForSqlite(connectionString) : ServerFactory.ForPostgres(connectionString);

        await using (var first = Start())
        {
            using var put = await first.CreateClient().PutAsJsonAsync(Path, new { date = "2023-12-24" });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var view = await put.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("2023-12-24", view.GetProperty("date").GetString());
            Assert.True(view.GetProperty("moved").GetBoolean());
            Assert.True(view.GetProperty("anyCampaignOpen").GetBoolean());
            Assert.Equal(new DateOnly(2023, 12, 24), first.Services.GetRequiredService<BusinessClock>().Today());

            // A quote without paidOn is a quote for the business date.
            var quote = await first.CreateClient().GetFromJsonAsync<JsonElement>("/api/v1/policies/pengshui-2024/quote?category=%E4%BD%8E%E4%BF%9D%E6%88%B7&tier=1");
            Assert.Equal("2023-12-24", quote.GetProperty("paidOn").GetString());
            Assert.Equal(3800, quote.GetProperty("individualDueFen").GetInt64());
        }

        await using var second = Start();
        var restarted = await second.CreateClient().GetFromJsonAsync<JsonElement>(Path);
        Assert.Equal("2023-12-24", restarted.GetProperty("date").GetString());
        Assert.Equal(new DateOnly(2023, 12, 24), second.Services.GetRequiredService<BusinessClock>().Today());

        using var delete = await second.CreateClient().DeleteAsync(new Uri(Path, UriKind.Relative));
        Assert.False((await delete.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("moved").GetBoolean());
        Assert.Equal(second.Services.GetRequiredService<BusinessClock>().Today(), DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime));
    }

    [Theory]
    [InlineData("{\"date\":\"2023-13-01\"}", "'2023-13-01' is not a calendar date in the form YYYY-MM-DD")]
    [InlineData("{\"date\":\"24.12.2023\"}", "'24.12.2023' is not a calendar date")]
    [InlineData("{\"day\":\"2023-12-24\"}", "{\"date\":\"YYYY-MM-DD\"}")]
    [InlineData("2023-12-24", "{\"date\":\"YYYY-MM-DD\"}")]
    public async Task A_bad_date_is_a_400_saying_what_is_wrong_and_moves_nothing(string body, string expected)
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString);
        var before = server.Services.GetRequiredService<BusinessClock>().Today();

        using var response = await server.CreateClient().PutAsync(new Uri(Path, UriKind.Relative), new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, server.Services.GetRequiredService<BusinessClock>().Today());
    }

    [Fact]
    public async Task Outside_Development_the_endpoint_does_not_exist()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, "Production");
        var client = server.CreateClient();

        using var get = await client.GetAsync(new Uri(Path, UriKind.Relative));
        using var put = await client.PutAsJsonAsync(Path, new { date = "2023-12-24" });

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.False(server.Services.GetRequiredService<BusinessClock>().IsPinned);
    }

    private static JsonElement Campaign(JsonElement view, string policyId) =>
        view.GetProperty("campaigns").EnumerateArray().Single(c => c.GetProperty("policyId").GetString() == policyId);

    private static Dictionary<string, List<DateOnly>> KeyDays(JsonElement view, string policyId) =>
        Campaign(view, policyId).GetProperty("keyDays").EnumerateArray()
            .GroupBy(d => d.GetProperty("kind").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(d => DateOnly.Parse(d.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList());
}
