using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Links;
using WeChatAssist.Server.Tests.Policies;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>
/// Reminders follow a published next-year policy by the same rule as the chatbot, quotes, landing pages and the
/// mini-program: once its collection window has opened, residents registered under the county's earlier year are
/// reminded of its deadline and amounts, and nothing more about the old year's (the made-up 彭水 2025 draft, test data
/// only: window 2024-10-12 – 2024-12-31; 低保 tier 1 pays 19元 instead of 2024's 38元).
/// </summary>
public sealed class PublishedPolicyReminderTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    /// <summary>Seven days before the draft's last collection day, inside its window.</summary>
    private const string DraftDeadlineMinus7 = "2024-12-24T10:00:00+08:00";

    private static readonly Dictionary<string, string?> ManualDispatch = new()
    {
        ["Reminders:DispatcherEnabled"] = "false",
        ["Reminders:Concurrency"] = "1",
    };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Once_a_published_next_year_opens_its_collection_the_planner_reminds_of_its_deadline_and_amounts_and_the_old_years_rows_are_cancelled(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DraftDeadlineMinus7, ManualDispatch);
        var dibao = await server.BoundResidentAsync("蒋低保", paidYear: 2024, categories: ["dibao"]);
        var owing = await server.BoundResidentAsync("张欠缴");
        using var cadre = await server.NewStaffAsync("cadre-" + Guid.NewGuid().ToString("N")[..8], StaffRole.Village, "汉葭街道", "文家村");
        using var admin = await server.StaffClientAsync();

        // Before publication: 2024 is the county's only year. A manual reminder asks the resident who owes it to pay
        // 2024; the resident who paid 2024 owes nothing, and the planner finds no 2024 date still ahead.
        var before = await cadre.PostJsonAsync("/api/v1/admin/reminders/requests", new { residentIds = new[] { owing.Id, dibao.Id } });
        Assert.Equal(1, before.GetProperty("queued").GetInt32());
        Assert.Equal(1, before.GetProperty("skipped").GetProperty("paid").GetInt32());
        Assert.All((await admin.PostJsonAsync("/api/v1/admin/reminders/plan")).EnumerateArray(), p => Assert.Equal(0, p.GetProperty("queued").GetInt32()));

        await PublishDraftAsync(server);
        var planned = await admin.PostJsonAsync("/api/v1/admin/reminders/plan");

        var deadline = planned.EnumerateArray().Single(p => p.GetProperty("policyId").GetString() == "pengshui-2025" && p.GetProperty("ruleId").GetString() == "deadline-7d");
        Assert.Equal(2, deadline.GetProperty("queued").GetInt32());
        Assert.DoesNotContain(planned.EnumerateArray(), p => p.GetProperty("policyId").GetString() == "pengshui-2024" && ReminderKinds.IsOwing(p.GetProperty("kind").GetString()!));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE dedupe_key = 'pengshui-2025:deadline-7d:{dibao.Id}:2024-12-31:template'"));

        // Staff asking now remind of 2025, which the 2024 payer owes.
        var after = await cadre.PostJsonAsync("/api/v1/admin/reminders/requests", new { residentIds = new[] { dibao.Id } });
        Assert.Equal(1, after.GetProperty("queued").GetInt32());
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE kind = 'manual' AND policy_id = 'pengshui-2025' AND resident_id = {dibao.Id}"));

        var round = await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);

        Assert.Equal((4, 3, 1), (round.Claimed, round.Sent, round.Cancelled));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE policy_id = 'pengshui-2024' AND kind = 'manual' AND status = 'cancelled' AND last_error LIKE 'superseded%'"));
        var toOwing = Assert.Single(server.TemplatesTo(owing.OpenId));
        Assert.Equal("2025年度城乡居民医保缴费", Field(toOwing, "thing1"));
        Assert.Equal("2024年12月31日", Field(toOwing, "time2"));
        Assert.Equal("7 天后截止，请尽快缴费", Field(toOwing, "thing4"));
        var toDibao = server.TemplatesTo(dibao.OpenId);
        Assert.Equal(2, toDibao.Count);
        Assert.All(toDibao, m => Assert.Equal("1档19元/2档375元", Field(m, "thing3")));
        Assert.All(toDibao, m => Assert.Equal("2024年12月31日", Field(m, "time2")));

        // Staff of the county (accounts made for pengshui-2024) see the rows of the year that took over in their summary.
        using var township = await server.NewStaffAsync("township-" + Guid.NewGuid().ToString("N")[..8], StaffRole.Township, "汉葭街道");
        var summary = (await township.GetJsonAsync("/api/v1/admin/reminders/summary")).EnumerateArray()
            .Select(c => $"{c.GetProperty("kind").GetString()}|{c.GetProperty("status").GetString()}|{c.GetProperty("count").GetInt64()}").ToList();
        Assert.Contains("deadline|sent|2", summary);
        Assert.Contains("manual|cancelled|1", summary);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_resident_registered_under_the_old_year_who_pays_the_published_year_has_its_reminder_cancelled_and_gets_its_receipt(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, DraftDeadlineMinus7, ManualDispatch);
        var payer = await server.BoundResidentAsync("蒋低保", paidYear: 2024, categories: ["dibao"]);
        using var admin = await server.StaffClientAsync();
        await PublishDraftAsync(server);
        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");

        await server.Services.GetRequiredService<PaymentLedger>().RecordAsync([new PaymentRecord(payer.Id, 2025, new DateOnly(2024, 12, 24), 19_00)], "tax-file", CancellationToken.None);

        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {payer.Id} AND policy_id = 'pengshui-2025' AND kind = 'deadline' AND status = 'cancelled'"));
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE resident_id = {payer.Id} AND policy_id = 'pengshui-2025' AND kind = 'receipt' AND status = 'pending'"));
        var round = await server.Services.GetRequiredService<ReminderDispatcher>().DispatchOnceAsync(CancellationToken.None);
        Assert.Equal(1, round.Sent);
        var receipt = Assert.Single(server.TemplatesTo(payer.OpenId));
        Assert.Equal("已收到您2025年度的缴费", Field(receipt, "thing1"));
    }

    private static string? Field(JsonElement message, string name) => message.GetProperty("data").GetProperty(name).GetProperty("value").GetString();

    private static async Task PublishDraftAsync(ResidentServer server)
    {
        using var uploader = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));
        using var approver = await server.SignedInAsync(await server.CreateAsync(StaffRole.Bureau, null, null));
        using var body = new ByteArrayContent(File.ReadAllBytes(Path.Combine(RepoFiles.Root(), "tests", "WeChatAssist.Policy.Tests", "Authoring", "pengshui-2025-draft.yaml")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/yaml");
        using var uploaded = await uploader.PostAsync(new Uri("/api/v1/admin/policies/drafts?fileName=pengshui-2025.yaml", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var id = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("draft").GetProperty("id").GetInt64();
        using var approved = await approver.PostAsync(new Uri($"/api/v1/admin/policies/drafts/{id}/approve", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
    }
}
