using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Corrections;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Reminders;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Corrections;

/// <summary>The correction submit and review workflows on their own, without the endpoints, on both databases.</summary>
public sealed class CorrectionWorkflowTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly ResidentScope Village = new("pengshui-2024", "汉葭街道", "文家村");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_submission_is_refused_for_someone_not_bound_or_an_unchanged_value_and_otherwise_stored_pending(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, ResidentServer.BusinessNow);
        var (residentId, openId) = await server.BoundResidentAsync("张三丰");
        var stranger = await server.SeedAsync("李四光", TestIds.Next());
        var session = new MiniProgramSession("s", ResidentServer.Account, ResidentServer.AppId, openId, null);
        var submission = server.Services.GetRequiredService<CorrectionSubmission>();

        var notBound = await submission.SubmitAsync(session, stranger, "name", "李四", null, CancellationToken.None);
        var unchanged = await submission.SubmitAsync(session, residentId, "name", " 张三丰 ", null, CancellationToken.None);
        var submitted = await submission.SubmitAsync(session, residentId, "village", "别的村", null, CancellationToken.None);

        Assert.Equal("residentNotBound", notBound.Refusal?.Key);
        Assert.Equal(404, notBound.Refusal?.Status);
        Assert.Equal("sameValue", unchanged.Refusal?.Key);
        Assert.Null(submitted.Refusal);
        Assert.Equal(CorrectionStatus.Pending, submitted.Correction!.Status);
        Assert.Equal("别的村", submitted.Correction.NewValue);
        Assert.Equal(residentId, submitted.Resident!.Id);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM corrections WHERE resident_id = {residentId} AND status = 'pending'"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_approval_changes_the_registry_and_is_audited_once_and_a_second_review_finds_it_reviewed(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, ResidentServer.BusinessNow);
        var id = await SubmittedAsync(server, "address", "文家村二组5号");
        var review = server.Services.GetRequiredService<CorrectionReview>();

        var outsideScope = await review.ReviewAsync(id, new ResidentScope("pengshui-2024", "汉葭街道", "别的村"), CorrectionStatus.Approved, null, "cadre", CancellationToken.None);
        var approved = await review.ReviewAsync(id, Village, CorrectionStatus.Approved, " 核实无误 ", "cadre", CancellationToken.None);
        var again = await review.ReviewAsync(id, Village, CorrectionStatus.Rejected, "重复", "cadre", CancellationToken.None);

        Assert.Equal("correctionNotFound", outsideScope.Refusal?.Key);
        Assert.Null(approved.Refusal);
        Assert.Equal(CorrectionStatus.Approved, approved.Correction!.Status);
        Assert.Equal("核实无误", approved.Correction.Reason);
        Assert.Equal("cadre", approved.Correction.ReviewedBy);
        Assert.Equal("文家村二组5号", approved.Resident!.Address);
        Assert.Equal("alreadyReviewed", again.Refusal?.Key);
        Assert.Equal(409, again.Refusal?.Status);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE action = '{CorrectionReview.ApproveAction}' AND staff_user = 'cadre'"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_rejection_needs_a_reason_and_leaves_the_registry_as_it_was(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ReminderTestServer.StartAsync(onPostgres, sqlite, postgres, ResidentServer.BusinessNow);
        var id = await SubmittedAsync(server, "village", "别的村");
        var review = server.Services.GetRequiredService<CorrectionReview>();

        var withoutReason = await review.ReviewAsync(id, Village, CorrectionStatus.Rejected, "  ", "cadre", CancellationToken.None);
        var tooLong = await review.ReviewAsync(id, Village, CorrectionStatus.Rejected, new string('因', CorrectionReview.MaxReasonLength + 1), "cadre", CancellationToken.None);
        var rejected = await review.ReviewAsync(id, Village, CorrectionStatus.Rejected, "村名无误", "cadre", CancellationToken.None);

        Assert.Equal("reasonMissing", withoutReason.Refusal?.Key);
        Assert.Equal("valueTooLong", tooLong.Refusal?.Key);
        Assert.Null(rejected.Refusal);
        Assert.Equal(CorrectionStatus.Rejected, rejected.Correction!.Status);
        Assert.Equal("文家村", rejected.Resident!.Village);
        Assert.Equal(1, await server.CountAsync($"SELECT COUNT(*) FROM audit_log WHERE action = '{CorrectionReview.RejectAction}' AND staff_user = 'cadre'"));
    }

    private static async Task<long> SubmittedAsync(ResidentServer server, string field, string value)
    {
        var (residentId, openId) = await server.BoundResidentAsync("张三丰");
        var session = new MiniProgramSession("s", ResidentServer.Account, ResidentServer.AppId, openId, null);
        var step = await server.Services.GetRequiredService<CorrectionSubmission>().SubmitAsync(session, residentId, field, value, null, CancellationToken.None);
        Assert.True(step.Refusal is null, step.Refusal?.Key);
        return step.Correction!.Id;
    }
}
