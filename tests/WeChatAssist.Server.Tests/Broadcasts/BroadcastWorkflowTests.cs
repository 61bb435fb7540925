using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Broadcasts;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Reminders;
using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Tests.Broadcasts;

/// <summary>The broadcast approval and send workflows on their own, without the endpoints: four eyes, a template
/// that must still render, one approval and one send per broadcast.</summary>
public sealed class BroadcastWorkflowTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string Now = "2023-12-20T10:00:00+08:00";
    private const string Template = "{{deadline}}前缴";
    private static readonly BroadcastAudience Village = new("village", "汉葭街道", "文家村");

    // Nothing is sent while a test looks at the queued rows.
    private static readonly Dictionary<string, string?> NoDispatch = new() { ["Reminders:DispatcherEnabled"] = "false" };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_draft_is_approved_once_by_someone_other_than_its_author(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, NoDispatch);
        var store = server.Services.GetRequiredService<BroadcastStore>();
        var approval = server.Services.GetRequiredService<BroadcastApproval>();
        var draft = await DraftAsync(store, Template);

        var byAuthor = await approval.ApproveAsync(draft, "author", CancellationToken.None);
        var bySecond = await approval.ApproveAsync(draft, "second", CancellationToken.None);
        var again = await approval.ApproveAsync(draft, "third", CancellationToken.None);
        var approved = (await store.FindAsync(draft.Id, CancellationToken.None))!;

        Assert.Equal(BroadcastApprovalOutcome.SelfApproval, byAuthor);
        Assert.Equal(BroadcastApprovalOutcome.Approved, bySecond);
        Assert.Equal(BroadcastApprovalOutcome.NotDraft, again);
        Assert.Equal(BroadcastStatus.Approved, approved.Status);
        Assert.Equal("second", approved.ApprovedBy);
        Assert.NotNull(approved.ApprovedAt);
    }

    [Fact]
    public async Task A_draft_whose_template_no_longer_renders_is_not_approved()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(false, sqlite, postgres, Now, NoDispatch);
        var store = server.Services.GetRequiredService<BroadcastStore>();
        var draft = await DraftAsync(store, "{{for x in tiers}}");

        await Assert.ThrowsAnyAsync<TemplateException>(() => server.Services.GetRequiredService<BroadcastApproval>().ApproveAsync(draft, "second", CancellationToken.None));
        Assert.Equal(BroadcastStatus.Draft, (await store.FindAsync(draft.Id, CancellationToken.None))!.Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_approved_broadcast_is_queued_once_for_the_residents_of_its_audience(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, Now, NoDispatch);
        var inVillage = await server.BoundResidentAsync("张三丰");
        await server.BoundResidentAsync("王五", village: "别的村");
        var store = server.Services.GetRequiredService<BroadcastStore>();
        var sender = server.Services.GetRequiredService<BroadcastSender>();
        var draft = await DraftAsync(store, Template);
        var notYet = await sender.QueueAsync(draft, CancellationToken.None);
        await server.Services.GetRequiredService<BroadcastApproval>().ApproveAsync(draft, "second", CancellationToken.None);
        var approved = (await store.FindAsync(draft.Id, CancellationToken.None))!;

        var queued = await sender.QueueAsync(approved, CancellationToken.None);
        var twice = await sender.QueueAsync(approved, CancellationToken.None);

        Assert.Null(notYet);
        Assert.Equal(1, queued);
        Assert.Null(twice);
        Assert.Equal(BroadcastStatus.Sending, (await store.FindAsync(draft.Id, CancellationToken.None))!.Status);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM reminder_outbox WHERE broadcast_id = {draft.Id} AND resident_id = {inVillage.Id} AND status = 'pending'"));
    }

    private static async Task<Broadcast> DraftAsync(BroadcastStore store, string template)
    {
        var now = DateTimeOffset.Parse(Now, System.Globalization.CultureInfo.InvariantCulture);
        var id = await store.CreateAsync("pengshui-2024", "医保缴费提醒", template, Village, now, "author", now, CancellationToken.None);
        return (await store.FindAsync(id, CancellationToken.None))!;
    }
}
