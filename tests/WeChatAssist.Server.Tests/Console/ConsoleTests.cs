using System.Net;
using DocumentFormat.OpenXml.Packaging;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.StaffConsole;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Links;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Console;

/// <summary>The console's data: progress against the notice's target table, the coverage indicators per group, the
/// trend, scope by role, the audited unpaid list, reminders through the contract, Excel export, the login redirect,
/// and live pushes after payments commit (never for a rolled-back recording).</summary>
public sealed class ConsoleTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Policy = "pengshui-2024";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_county_dashboard_shows_every_township_of_the_target_table_and_the_indicators_per_group(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(
            onPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            onPostgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString);
        var tekun = await server.SeedAsync("甲一", TestIds.Next(), township: "汉葭街道", categories: ["tekun"]);
        await server.SeedAsync("甲二", TestIds.Next(), township: "汉葭街道", categories: ["dibao"]);
        var tuopin = await server.SeedAsync("甲三", TestIds.Next(), township: "汉葭街道", categories: ["tuopin"]);
        await server.SeedAsync("乙一", TestIds.Next(), township: "郁山镇", paidYear: 2023);
        await server.Services.GetRequiredService<PaymentLedger>().RecordAsync(
            [new PaymentRecord(tekun, 2024, new DateOnly(2023, 11, 14)), new PaymentRecord(tuopin, 2024, new DateOnly(2023, 11, 15))], "tax-file", CancellationToken.None);
        using var bureau = await server.SignedInAsync(ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var (status, p) = await bureau.GetJsonAsync($"/api/v1/console/progress?policyId={Policy}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(554440, p.GetProperty("target").GetInt64());
        Assert.Equal(4, p.GetProperty("registered").GetInt64());
        Assert.Equal(2, p.GetProperty("paid").GetInt64());
        var areas = p.GetProperty("areas").EnumerateArray().ToList();
        Assert.Equal(39, areas.Count);
        Assert.Equal(554440, areas.Sum(a => a.GetProperty("target").GetInt64()));
        var hanjia = areas.Single(a => a.GetProperty("name").GetString() == "汉葭街道");
        Assert.Equal((3, 2, 54708), (hanjia.GetProperty("registered").GetInt64(), hanjia.GetProperty("paid").GetInt64(), hanjia.GetProperty("target").GetInt64()));
        Assert.Equal(0.00m, hanjia.GetProperty("percent").GetDecimal());

        var indicators = p.GetProperty("indicators").EnumerateArray().ToDictionary(i => i.GetProperty("group").GetString()!);
        Assert.Equal(["面上参保率", "7类低收入人口", "脱贫人口"], indicators.Keys.ToArray());
        Assert.All(indicators.Values, i => Assert.Equal(0, i.GetProperty("unresolved").GetArrayLength()));
        Assert.Equal((4, 2, 95m, false), Indicator(indicators["面上参保率"]));
        Assert.Equal((2, 1, 100m, false), Indicator(indicators["7类低收入人口"]));
        Assert.Equal((1, 1, 99m, true), Indicator(indicators["脱贫人口"]));
        Assert.Equal(50m, indicators["7类低收入人口"].GetProperty("percent").GetDecimal());

        var trend = p.GetProperty("trend").EnumerateArray().Select(d => (d.GetProperty("day").GetString(), d.GetProperty("payments").GetInt64())).ToArray();
        Assert.Equal([("2023-11-14", 1L), ("2023-11-15", 1L)], trend);
    }

    [Fact]
    public async Task A_township_official_sees_the_villages_of_their_township_and_a_cadre_only_their_village()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        await server.SeedAsync("丙一", TestIds.Next(), township: "郁山镇", village: "甲村");
        await server.SeedAsync("丙二", TestIds.Next(), township: "郁山镇", village: "乙村", paidYear: 2024);
        await server.SeedAsync("丙三", TestIds.Next(), township: "汉葭街道", village: "丙村");
        using var township = await server.SignedInAsync(await server.CreateAsync(StaffRole.Township, "郁山镇", null));
        using var cadre = await server.SignedInAsync(await server.CreateAsync(StaffRole.Village, "郁山镇", "乙村"));

        var (_, mine) = await township.GetJsonAsync("/api/v1/console/progress");
        var (otherTownship, _) = await township.GetJsonAsync($"/api/v1/console/progress?township={Uri.EscapeDataString("汉葭街道")}");
        var (_, village) = await cadre.GetJsonAsync("/api/v1/console/progress");
        var (otherVillage, _) = await cadre.GetJsonAsync($"/api/v1/console/progress?village={Uri.EscapeDataString("甲村")}");

        Assert.Equal(["乙村", "甲村"], mine.GetProperty("areas").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(27857, mine.GetProperty("target").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, otherTownship);
        Assert.Equal((1, 1), (village.GetProperty("registered").GetInt64(), village.GetProperty("paid").GetInt64()));
        Assert.Equal(JsonValueKindNull, village.GetProperty("target").ValueKind);
        Assert.Equal(HttpStatusCode.Forbidden, otherVillage);
    }

    [Fact]
    public async Task The_cadre_unpaid_list_is_masked_and_every_read_audited()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        var id = TestIds.Next();
        var unpaid = await server.SeedAsync("钱多多", id, township: "郁山镇", village: "甲村", categories: ["dibao"]);
        await server.SeedAsync("钱少少", TestIds.Next(), township: "郁山镇", village: "甲村", paidYear: 2024);
        var user = await server.CreateAsync(StaffRole.Village, "郁山镇", "甲村");
        using var cadre = await server.SignedInAsync(user);

        var (status, view) = await cadre.GetJsonAsync("/api/v1/console/village");

        Assert.Equal(HttpStatusCode.OK, status);
        var row = Assert.Single(view.GetProperty("unpaid").EnumerateArray());
        Assert.Equal("钱**", row.GetProperty("name").GetString());
        Assert.Equal(id[..4] + "**********" + id[^4..], row.GetProperty("idNumber").GetString());
        Assert.Equal("城乡最低生活保障人员", Assert.Single(row.GetProperty("categories").EnumerateArray()).GetString());
        Assert.DoesNotContain(id[4..14], view.GetRawText(), StringComparison.Ordinal);
        Assert.True(view.GetProperty("remindersAvailable").GetBoolean());
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE staff_user = '{user}' AND resident_id = {unpaid} AND action = '{ConsoleEndpoints.UnpaidAction}'"));
    }

    [Fact]
    public async Task Remind_these_residents_puts_only_the_cadre_own_owing_residents_into_the_outbox()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        var (mine, _) = await Reminders.ReminderTestServer.BoundResidentAsync(server, "孙一", township: "郁山镇", village: "甲村");
        var (paid, _) = await Reminders.ReminderTestServer.BoundResidentAsync(server, "孙三", paidYear: 2024, township: "郁山镇", village: "甲村");
        var (theirs, _) = await Reminders.ReminderTestServer.BoundResidentAsync(server, "孙二", township: "郁山镇", village: "乙村");
        var user = await server.CreateAsync(StaffRole.Village, "郁山镇", "甲村");
        using var cadre = await server.SignedInAsync(user);

        var (status, result) = await cadre.PostJsonAsync("/api/v1/console/village/remind", new { residentIds = new[] { mine, paid, theirs } });
        var (again, repeated) = await cadre.PostJsonAsync("/api/v1/console/village/remind", new { residentIds = new[] { mine } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, result.GetProperty("queued").GetInt32());
        Assert.Equal(1, result.GetProperty("skipped").GetProperty("outOfScope").GetInt32());
        Assert.Equal(1, result.GetProperty("skipped").GetProperty("paid").GetInt32());
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {mine} AND requested_by = '{user}'"));
        Assert.Equal(0, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id IN ({paid}, {theirs})"));

        // The outbox's own limit: one staff reminder per resident a day.
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(0, repeated.GetProperty("queued").GetInt32());
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {mine}"));
    }

    [Theory]
    [InlineData("areas", "地区", "汉葭街道")]
    [InlineData("indicators", "人群", "7类低收入人口")]
    [InlineData("links", "链接码", null)]
    public async Task Every_table_exports_to_Excel(string table, string header, string? cell)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        await server.SeedAsync("丁一", TestIds.Next(), township: "汉葭街道");
        using var bureau = await server.SignedInAsync(ResidentServer.AdminUser, ResidentServer.AdminPassword);

        using var response = await bureau.GetAsync(new Uri($"/api/v1/console/export/{table}.xlsx?policyId={Policy}", UriKind.Relative));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ExcelExport.ContentType, response.Content.Headers.ContentType?.MediaType);
        using var stream = new MemoryStream(bytes);
        using var document = SpreadsheetDocument.Open(stream, false);
        var texts = document.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InnerText).ToList();
        Assert.Equal(header, texts[0]);
        if (cell is not null)
        {
            Assert.Contains(cell, texts);
        }
    }

    [Fact]
    public async Task Console_pages_send_a_signed_out_browser_to_the_login_page_while_the_API_answers_401()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        using var anonymous = server.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var cadre = await server.SignedInAsync(await server.CreateAsync(StaffRole.Village, "郁山镇", "甲村"));

        using var page = await anonymous.GetAsync(new Uri("/console", UriKind.Relative));
        using var api = await anonymous.GetAsync(new Uri("/api/v1/console/progress", UriKind.Relative));
        using var login = await anonymous.GetAsync(new Uri("/console/login", UriKind.Relative));
        using var cadreHome = await cadre.GetAsync(new Uri("/console", UriKind.Relative));
        using var village = await cadre.GetAsync(new Uri("/console/village", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/console/login?ReturnUrl=", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Contains("工作人员登录", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/console/village", cadreHome.Headers.Location?.OriginalString);
        Assert.Contains("郁山镇 甲村", await village.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Recorded_payments_reach_the_dashboards_watching_the_county_township_and_village_and_a_rolled_back_recording_never(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        var failing = new FailingParticipant();
        await using var server = await ResidentServer.StartAsync(
            onPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            onPostgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString,
            services: s => s.AddSingleton<IPaymentsRecordedParticipant>(failing),
            overKestrel: true);
        var rolledBack = await server.SeedAsync("戊一", TestIds.Next(), township: "郁山镇", village: "甲村");
        var a = await server.SeedAsync("戊二", TestIds.Next(), township: "郁山镇", village: "乙村");
        var b = await server.SeedAsync("戊三", TestIds.Next(), township: "郁山镇", village: "乙村");
        await using var county = await DashboardConnection.SignInAsync(server.KestrelAddress!, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        await using var township = await DashboardConnection.SignInAsync(server.KestrelAddress!, await server.CreateAsync(StaffRole.Township, "郁山镇", null), StaffSessions.Password);
        await using var village = await DashboardConnection.SignInAsync(server.KestrelAddress!, await server.CreateAsync(StaffRole.Village, "郁山镇", "乙村"), StaffSessions.Password);
        await using var otherVillage = await DashboardConnection.SignInAsync(server.KestrelAddress!, await server.CreateAsync(StaffRole.Village, "郁山镇", "甲村"), StaffSessions.Password);
        Assert.True(await county.WatchAsync(Policy));
        Assert.True(await township.WatchAsync(Policy, "郁山镇"));
        Assert.True(await village.WatchAsync(Policy, "郁山镇", "乙村"));
        Assert.True(await otherVillage.WatchAsync(Policy, "郁山镇", "甲村"));
        Assert.False(await otherVillage.WatchAsync(Policy, "郁山镇", "乙村"));
        var ledger = server.Services.GetRequiredService<PaymentLedger>();

        failing.Fail = true;
        await Assert.ThrowsAsync<InvalidOperationException>(() => ledger.RecordAsync([new PaymentRecord(rolledBack, 2024, new DateOnly(2023, 11, 15))], "staff", CancellationToken.None));
        failing.Fail = false;
        await ledger.RecordAsync([new PaymentRecord(a, 2024, new DateOnly(2023, 11, 15)), new PaymentRecord(b, 2024, new DateOnly(2023, 11, 15))], "tax-file", CancellationToken.None);

        var expected = new ProgressChanged(Policy, "郁山镇", "乙村", 2);
        foreach (var dashboard in new[] { county, township, village })
        {
            Assert.Equal(expected, await dashboard.WaitForAsync(_ => true, TimeSpan.FromSeconds(20)));
        }

        // The rolled-back batch is dropped after the publisher's visibility wait (10 s); give it that long to show.
        await Task.Delay(TimeSpan.FromSeconds(11));
        Assert.Equal([expected], county.Received.ToArray());
        Assert.Equal([expected], township.Received.ToArray());
        Assert.Equal([expected], village.Received.ToArray());
        Assert.Empty(otherVillage.Received);
    }

    [Fact]
    public async Task After_the_listen_connection_drops_every_dashboard_is_told_to_refetch_and_later_payments_are_pushed_again()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, overKestrel: true);
        var resident = await server.SeedAsync("壬一", TestIds.Next(), township: "郁山镇", village: "甲村");
        await using var dashboard = await DashboardConnection.SignInAsync(server.KestrelAddress!, await server.CreateAsync(StaffRole.Village, "郁山镇", "甲村"), StaffSessions.Password);
        Assert.True(await dashboard.WatchAsync(Policy, "郁山镇", "甲村"));
        var listener = $"SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '{PostgresProgressListener.ApplicationName}' AND datname = current_database()";
        await WaitUntilAsync(async () => await server.CountAsync(listener) == 1);

        Assert.Equal(1, await server.CountAsync(listener.Replace("COUNT(*)", "COUNT(pg_terminate_backend(pid))", StringComparison.Ordinal)));
        var resync = await dashboard.WaitForAsync(m => m.PolicyId.Length == 0, TimeSpan.FromSeconds(20));
        await server.Services.GetRequiredService<PaymentLedger>().RecordAsync([new PaymentRecord(resident, 2024, new DateOnly(2023, 11, 15))], "tax-file", CancellationToken.None);
        var pushed = await dashboard.WaitForAsync(m => m.PolicyId.Length > 0, TimeSpan.FromSeconds(20));

        Assert.Equal(new ProgressChanged("", "", "", 0), resync);
        Assert.Equal(new ProgressChanged(Policy, "郁山镇", "甲村", 1), pushed);
    }

    [Fact]
    public async Task With_the_Redis_backplane_a_payment_recorded_on_one_node_reaches_each_dashboard_on_every_node_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var backplane = new Dictionary<string, string?> { ["SignalR:Redis"] = RedisServer.NewBackplaneConnectionString() };
        await using var recording = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, backplane, overKestrel: true);
        await using var watching = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, backplane, overKestrel: true);
        var resident = await recording.SeedAsync("癸一", TestIds.Next(), township: "郁山镇", village: "甲村");
        await using var here = await DashboardConnection.SignInAsync(recording.KestrelAddress!, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        await using var there = await DashboardConnection.SignInAsync(watching.KestrelAddress!, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        Assert.True(await here.WatchAsync(Policy));
        Assert.True(await there.WatchAsync(Policy));

        // With the backplane neither node keeps a LISTEN connection: the recording node publishes for both.
        Assert.Equal(0, await recording.CountAsync($"SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = '{PostgresProgressListener.ApplicationName}'  AND datname = current_database()"));
        await recording.Services.GetRequiredService<PaymentLedger>().RecordAsync([new PaymentRecord(resident, 2024, new DateOnly(2023, 11, 15))], "tax-file", CancellationToken.None);

        var expected = new ProgressChanged(Policy, "郁山镇", "甲村", 1);
        Assert.Equal(expected, await there.WaitForAsync(_ => true, TimeSpan.FromSeconds(20)));
        Assert.Equal(expected, await here.WaitForAsync(_ => true, TimeSpan.FromSeconds(20)));
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(there.Received);
        Assert.Single(here.Received);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition());
    }

    private static readonly System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private static (long Registered, long Paid, decimal Target, bool Met) Indicator(System.Text.Json.JsonElement e) =>
        (e.GetProperty("registered").GetInt64(), e.GetProperty("paid").GetInt64(), e.GetProperty("targetPercent").GetDecimal(), e.GetProperty("met").GetBoolean());

    private sealed class FailingParticipant : IPaymentsRecordedParticipant
    {
        public bool Fail { get; set; }

        public Task OnPaymentsRecordedAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string batchId, CancellationToken cancellationToken) =>
            Fail ? throw new InvalidOperationException("test: roll the recording back") : Task.CompletedTask;
    }
}
