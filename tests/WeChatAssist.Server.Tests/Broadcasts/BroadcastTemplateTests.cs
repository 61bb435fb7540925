using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Reminders;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Broadcasts;

/// <summary>Broadcast templates written by bureau staff, through the real endpoints: Scriban in a safe context, a
/// template that does not parse or uses a forbidden construct refused with 422 naming line and column, and nothing
/// stored, approved or queued for it.</summary>
public sealed class BroadcastTemplateTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Now = "2023-12-20T10:00:00+08:00";
    private static readonly Dictionary<string, string?> ManualDispatch = new() { ["Reminders:DispatcherEnabled"] = "false" };

    public static TheoryData<bool, string, int, int> Refused => new()
    {
        // A block never closed: Scriban names the end of the text, where it looked for the end.
        { false, "请缴费\n{{for tier in tiers}}{{tier.yuan}}", 2, 33 },
        { true, "请缴费\n{{for tier in tiers}}{{tier.yuan}}", 2, 33 },
        // An if without its condition.
        { false, "请缴费\n截止{{if}}{{deadline}}{{end}}", 2, 7 },
        // Including another template, importing, evaluating text as a template: forbidden where they are written.
        { false, "请缴费\n  截止{{include 'menu'}}", 2, 7 },
        { true, "{{import object}}请缴费", 1, 3 },
        { false, "请缴费{{'{{county}}' | object.eval_template}}", 1, 21 },
        // A loop over the limit fails while rendering the preview for an ordinary resident, before anything is stored;
        // Scriban names the range it was iterating.
        { false, "{{for i in 1..100000}}缴{{end}}", 1, 13 },
        { true, "{{for i in 1..100000}}缴{{end}}", 1, 13 },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task A_template_that_does_not_parse_or_uses_a_forbidden_construct_is_refused_with_422_naming_line_and_column_and_nothing_is_stored(
        bool onPostgres, string template, int line, int column)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, ManualDispatch);
        using var author = await server.StaffClientAsync();

        using var response = await author.PostAsJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "通知", template, audience = new { kind = "all" } });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("broadcastTemplate", body.GetProperty("code").GetString());
        Assert.Equal(line, body.GetProperty("line").GetInt32());
        Assert.Equal(column, body.GetProperty("column").GetInt32());
        Assert.StartsWith($"模板第{line}行第{column}列有误：", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM broadcasts"));
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_draft_whose_template_no_longer_renders_is_not_approved_and_nothing_is_queued(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, ManualDispatch);
        await server.BoundResidentAsync("张三丰");
        using var author = await server.StaffClientAsync();
        using var approver = await server.NewStaffAsync("approver-" + Guid.NewGuid().ToString("N")[..8], StaffRole.Bureau);
        var created = await author.PostJsonAsync("/api/v1/admin/broadcasts", new { policyId = "pengshui-2024", title = "通知", template = "{{deadline}}前缴", audience = new { kind = "all" } });
        var id = created.GetProperty("broadcast").GetProperty("id").GetInt64();
        // A draft saved in the syntax templates had before Scriban: its first line reads as a comment, its second not at all.
        await Databases.ScalarAsync(server.Services.GetRequiredService<DatabaseTarget>(), $"UPDATE broadcasts SET template_text = '{{{{#if deadline}}}}截止{{{{deadline}}}}\n{{{{/if}}}}' WHERE id = {id}");

        using var approve = await approver.PostAsync(new Uri($"/api/v1/admin/broadcasts/{id}/approve", UriKind.Relative), null);
        using var preview = await author.GetAsync(new Uri($"/api/v1/admin/broadcasts/{id}/preview", UriKind.Relative));
        using var send = await author.PostAsync(new Uri($"/api/v1/admin/broadcasts/{id}/send", UriKind.Relative), null);
        var problem = await approve.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, approve.StatusCode);
        Assert.Equal(2, problem.GetProperty("line").GetInt32());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, preview.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, send.StatusCode);
        var got = await author.GetJsonAsync($"/api/v1/admin/broadcasts/{id}");
        Assert.Equal("draft", got.GetProperty("broadcast").GetProperty("status").GetString());
        Assert.Equal(0, await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox"));
    }
}
