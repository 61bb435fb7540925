using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Corrections;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Corrections;

public sealed class SqliteCorrectionLifecycleTests(SqliteCorrectionLifecycleFixture fixture)
    : CorrectionLifecycleTests(fixture), IClassFixture<SqliteCorrectionLifecycleFixture>;

public sealed class PostgresCorrectionLifecycleTests(PostgresCorrectionLifecycleFixture fixture)
    : CorrectionLifecycleTests(fixture), IClassFixture<PostgresCorrectionLifecycleFixture>;

/// <summary>What follows a review, on both providers: the outcome message retried by the Hangfire job with backoff
/// after transient failures and never after a permanent refusal; photos deleted after their retention; an approved
/// category correction written to the imports' category history.</summary>
public abstract class CorrectionLifecycleTests(CorrectionLifecycleFixture fixture)
{
    private const string SubscribeSend = "cgi-bin/message/subscribe/send";

    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task A_transient_failure_is_shown_as_retrying_and_sent_again_after_the_backoff()
    {
        var (correctionId, openId, admin) = await PendingCorrectionAsync("甲一");
        using var _ = admin;
        Fault(WeChatErrorCodeSystemBusy);

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");
        await NotifierAt(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(40)).RetryDueAsync(CancellationToken.None);
        var sentEarly = SentTo(openId);
        var afterBackoff = await NotifierAt(DateTimeOffset.UtcNow + TimeSpan.FromMinutes(80)).RetryDueAsync(CancellationToken.None);
        var detail = await admin.GetAsync($"/api/v1/admin/corrections/{correctionId}");

        Assert.Equal(HttpStatusCode.OK, approved.Status);
        Assert.Equal("approved", approved.Body.GetProperty("status").GetString());
        Assert.Equal("retrying", approved.Body.GetProperty("notifyStatus").GetString());
        Assert.Equal(1, approved.Body.GetProperty("notifyAttempts").GetInt32());
        Assert.Equal(-1, approved.Body.GetProperty("notifyErrorCode").GetInt32());
        Assert.False(approved.Body.GetProperty("notified").GetBoolean());

        // First retry one base delay (an hour) later, ±25 % jitter.
        var next = approved.Body.GetProperty("notifyNextAt").GetDateTimeOffset();
        Assert.InRange(next, DateTimeOffset.UtcNow + TimeSpan.FromMinutes(44), DateTimeOffset.UtcNow + TimeSpan.FromMinutes(76));
        Assert.Equal(0, sentEarly);
        Assert.True(afterBackoff >= 1);

        var row = detail.Body.GetProperty("correction");
        Assert.Equal("sent", row.GetProperty("notifyStatus").GetString());
        Assert.Equal(2, row.GetProperty("notifyAttempts").GetInt32());
        Assert.True(row.GetProperty("notified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("notifyError").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("notifyNextAt").ValueKind);
        var message = Assert.Single(Server.Services.GetRequiredService<SimulatorCallLog>().Outbox(openId));
        Assert.Equal("已通过", JsonDocument.Parse(message.Body!).RootElement.GetProperty("data").GetProperty("phrase2").GetProperty("value").GetString());
        Assert.Equal("2023年11月15日", JsonDocument.Parse(message.Body!).RootElement.GetProperty("data").GetProperty("date4").GetProperty("value").GetString());
    }

    [Theory]
    [InlineData("http502", -1, "甲五")]
    [InlineData("errcode45011", 45011, "甲六")]
    [InlineData("errcode40001", 40001, "甲七")]
    public async Task Network_frequency_and_token_failures_are_retried_too(string fault, int code, string name)
    {
        var (correctionId, openId, admin) = await PendingCorrectionAsync(name);
        using var _ = admin;
        var faults = Server.Services.GetRequiredService<SimulatorFaults>();
        faults.Inject(fault == "http502"
            ? new SimulatorFault(SubscribeSend, SimulatorFaultKind.HttpStatus) { HttpStatus = 502 }
            : new SimulatorFault(SubscribeSend, SimulatorFaultKind.ErrorCode, code == 40001 ? 2 : 1) { ErrorCode = code });

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");
        await NotifierAt(DateTimeOffset.UtcNow + TimeSpan.FromHours(2)).RetryDueAsync(CancellationToken.None);

        Assert.Equal("retrying", approved.Body.GetProperty("notifyStatus").GetString());
        Assert.Equal(code, approved.Body.GetProperty("notifyErrorCode").GetInt32());
        Assert.Equal(NotificationStatus.Sent, await StatusAsync(correctionId));
        Assert.Equal(1, SentTo(openId));
    }

    [Fact]
    public async Task A_permanent_refusal_is_recorded_with_its_code_and_never_retried()
    {
        var (correctionId, openId, admin) = await PendingCorrectionAsync("甲二");
        using var _ = admin;
        Fault(43101);

        var rejected = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/reject", new { reason = "户籍信息无误" });
        await NotifierAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(2)).RetryDueAsync(CancellationToken.None);
        var queue = await admin.GetAsync("/api/v1/admin/corrections?status=rejected");

        Assert.Equal("failed", rejected.Body.GetProperty("notifyStatus").GetString());
        Assert.Equal(43101, rejected.Body.GetProperty("notifyErrorCode").GetInt32());
        Assert.Equal(1, rejected.Body.GetProperty("notifyAttempts").GetInt32());
        Assert.Equal(JsonValueKind.Null, rejected.Body.GetProperty("notifyNextAt").ValueKind);
        Assert.Equal(1, CallsTo(openId));
        Assert.Empty(Server.Services.ScheduledJobs<CorrectionOutcomeMessageJob>(correctionId));
        var row = queue.Body.EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == correctionId);
        Assert.Equal("failed", row.GetProperty("notifyStatus").GetString());
        Assert.Contains("43101", row.GetProperty("notifyError").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_configured_attempts_a_transiently_failing_message_is_given_up()
    {
        var (correctionId, openId, admin) = await PendingCorrectionAsync("甲三");
        using var _ = admin;
        Server.Services.GetRequiredService<SimulatorFaults>().Inject(new SimulatorFault(SubscribeSend, SimulatorFaultKind.ErrorCode, CorrectionLifecycleFixture.MaxAttempts) { ErrorCode = 45009 });

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");
        for (var day = 1; day <= CorrectionLifecycleFixture.MaxAttempts + 1; day++)
        {
            await NotifierAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(day)).RetryDueAsync(CancellationToken.None);
        }

        var detail = await admin.GetAsync($"/api/v1/admin/corrections/{correctionId}");

        // A daily quota waits for the next China day, whatever the backoff says.
        var next = approved.Body.GetProperty("notifyNextAt").GetDateTimeOffset();
        var chinaMidnight = new DateTimeOffset(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Date.AddDays(1), TimeSpan.FromHours(8));
        Assert.True(next >= chinaMidnight, $"{next:o} is before the next China day {chinaMidnight:o}");
        var row = detail.Body.GetProperty("correction");
        Assert.Equal("failed", row.GetProperty("notifyStatus").GetString());
        Assert.Equal(CorrectionLifecycleFixture.MaxAttempts, row.GetProperty("notifyAttempts").GetInt32());
        Assert.Equal(45009, row.GetProperty("notifyErrorCode").GetInt32());
        Assert.StartsWith("Gave up after 3 attempts", row.GetProperty("notifyError").GetString(), StringComparison.Ordinal);
        Assert.Equal(CorrectionLifecycleFixture.MaxAttempts, CallsTo(openId));
        Assert.Equal(0, SentTo(openId));
    }

    [Fact]
    public async Task A_transient_failure_schedules_one_job_at_the_next_try_which_sends_once_and_does_nothing_when_run_again()
    {
        var (correctionId, openId, admin) = await PendingCorrectionAsync("甲八");
        using var _ = admin;
        Fault(WeChatErrorCodeSystemBusy);

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");
        var scheduled = Assert.Single(Server.Services.ScheduledJobs<CorrectionOutcomeMessageJob>(correctionId));
        var nextAt = approved.Body.GetProperty("notifyNextAt").GetDateTimeOffset();

        // Bring the next try forward to now and let Hangfire run the scheduled job.
        await Databases.ScalarAsync(Server.Services.GetRequiredService<DatabaseTarget>(), $"UPDATE corrections SET notify_next_at = created_at WHERE id = {correctionId}");
        Assert.True(Hangfire.BackgroundJobClientExtensions.Requeue(Server.Services.GetRequiredService<Hangfire.IBackgroundJobClient>(), scheduled.Id));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (await StatusAsync(correctionId) != NotificationStatus.Sent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await ActivatorUtilities.CreateInstance<CorrectionOutcomeMessageJob>(Server.Services).RunAsync(correctionId, CancellationToken.None);

        Assert.Equal("retrying", approved.Body.GetProperty("notifyStatus").GetString());
        Assert.InRange(scheduled.EnqueueAt!.Value, nextAt.UtcDateTime - TimeSpan.FromSeconds(1), nextAt.UtcDateTime + TimeSpan.FromSeconds(1));
        Assert.Equal(NotificationStatus.Sent, await StatusAsync(correctionId));
        Assert.Equal(1, SentTo(openId));
        Assert.Equal(2, CallsTo(openId));
        Assert.Empty(Server.Services.ScheduledJobs<CorrectionOutcomeMessageJob>(correctionId));
    }

    [Fact]
    public async Task The_recurring_job_sends_the_messages_that_are_due()
    {
        var (correctionId, openId, admin) = await PendingCorrectionAsync("甲四");
        using var _ = admin;
        Fault(WeChatErrorCodeSystemBusy);
        await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");

        // Make the retry due now (created_at is in the past and has the column's type on both providers).
        await Databases.ScalarAsync(Server.Services.GetRequiredService<DatabaseTarget>(), $"UPDATE corrections SET notify_next_at = created_at WHERE id = {correctionId}");
        Server.Services.TriggerRecurringJob<CorrectionNotificationJob>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (SentTo(openId) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, SentTo(openId));
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await StatusAsync(correctionId) != NotificationStatus.Sent && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(NotificationStatus.Sent, await StatusAsync(correctionId));
    }

    [Fact]
    public async Task A_reviewed_correction_s_photo_is_deleted_after_thirty_days_audited_and_a_pending_one_s_is_kept()
    {
        var (reviewedId, _, admin) = await PendingCorrectionAsync("乙一", "name", "乙壹", CorrectionRequests.Jpeg);
        using var _ = admin;
        var (pendingId, _, other) = await PendingCorrectionAsync("乙二", "name", "乙贰", CorrectionRequests.Jpeg);
        other.Dispose();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/admin/corrections/{reviewedId}/approve")).Status);
        var reviewedFile = Path.Combine(fixture.PhotoDirectory, (await CorrectionAsync(reviewedId)).PhotoFile!);
        var pendingFile = Path.Combine(fixture.PhotoDirectory, (await CorrectionAsync(pendingId)).PhotoFile!);

        await RetentionAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(29)).DeleteExpiredAsync(CancellationToken.None);
        var keptAtTwentyNine = File.Exists(reviewedFile);
        await RetentionAt(DateTimeOffset.UtcNow + TimeSpan.FromDays(31)).DeleteExpiredAsync(CancellationToken.None);
        var detail = await admin.GetAsync($"/api/v1/admin/corrections/{reviewedId}");
        var photo = await admin.GetAsync($"/api/v1/admin/corrections/{reviewedId}/photo");
        var pendingPhoto = await admin.GetAsync($"/api/v1/admin/corrections/{pendingId}/photo");

        Assert.True(keptAtTwentyNine, "29 days after the review the photo is still there");
        Assert.False(File.Exists(reviewedFile));
        Assert.True(File.Exists(pendingFile), "a pending correction's photo is never deleted");
        Assert.Equal(HttpStatusCode.OK, detail.Status);
        var row = detail.Body.GetProperty("correction");
        Assert.False(row.GetProperty("hasPhoto").GetBoolean());
        Assert.Equal(JsonValueKind.String, row.GetProperty("photoDeletedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Gone, photo.Status);
        Assert.Equal("photoDeleted", photo.Body.GetProperty("code").GetString());
        Assert.Contains("删除", photo.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, pendingPhoto.Status);
        var residentId = (await CorrectionAsync(reviewedId)).ResidentId;
        Assert.Equal(1, await Server.CountAsync(
            $"SELECT COUNT(*) FROM audit_log WHERE resident_id = {residentId} AND action = '{CorrectionPhotoRetention.DeletedAction}' AND staff_user = '{CorrectionPhotoRetention.SystemUser}'"));
        Assert.Equal(0, await Server.CountAsync(
            $"SELECT COUNT(*) FROM audit_log WHERE resident_id = {(await CorrectionAsync(pendingId)).ResidentId} AND action = '{CorrectionPhotoRetention.DeletedAction}'"));
    }

    [Fact]
    public async Task The_hourly_retention_job_deletes_a_photo_whose_review_is_older_than_the_retention()
    {
        var (correctionId, _, admin) = await PendingCorrectionAsync("乙三", "name", "乙叁", CorrectionRequests.Jpeg);
        using var _ = admin;
        await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/reject", new { reason = "与户口簿不符" });
        var file = Path.Combine(fixture.PhotoDirectory, (await CorrectionAsync(correctionId)).PhotoFile!);
        var monthAgo = fixture.Provider == DatabaseProvider.Postgres
            ? "reviewed_at - interval '31 days'"
            : $"reviewed_at - {(long)TimeSpan.FromDays(31).TotalMilliseconds}";
        await Databases.ScalarAsync(Server.Services.GetRequiredService<DatabaseTarget>(), $"UPDATE corrections SET reviewed_at = {monthAgo} WHERE id = {correctionId}");

        Server.Services.TriggerRecurringJob<CorrectionPhotoRetentionJob>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await CorrectionAsync(correctionId)).PhotoDeletedAt is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.NotNull((await CorrectionAsync(correctionId)).PhotoDeletedAt);
        Assert.Null((await CorrectionAsync(correctionId)).PhotoFile);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Approving_a_category_correction_ends_the_old_category_and_starts_the_new_one_in_the_category_history()
    {
        // 低保 and 脱贫 held since before the history began; the resident says it is 特困 and 脱贫.
        var (token, residentId, _) = await Server.BoundResidentAsync("丙一", TestIds.Next(), categories: ["dibao", "tuopin"]);
        var correctionId = (await Server.SubmitAsync(token, residentId, "category", "特困人员、脱贫人口")).Body.GetProperty("id").GetInt64();
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);

        var approved = await admin.PostAsync($"/api/v1/admin/corrections/{correctionId}/approve");

        Assert.Equal(HttpStatusCode.OK, approved.Status);
        var history = Server.Services.GetRequiredService<CategoryHistory>();
        var spans = await history.ListAsync(residentId, CancellationToken.None);
        var reviewDay = new DateOnly(2023, 11, 15);
        Assert.Equal(3, spans.Count);
        Assert.Contains(new CategoryHistory.Span("tuopin", null, null, null, null, null, null), spans);
        Assert.Contains(new CategoryHistory.Span("dibao", null, reviewDay, null, null, null, correctionId), spans);
        Assert.Contains(new CategoryHistory.Span("tekun", reviewDay, null, null, null, correctionId, null), spans);
        Assert.Equal(["dibao", "tuopin"], (await history.HeldOnAsync(residentId, reviewDay.AddDays(-1), CancellationToken.None)).Order());
        Assert.Equal(["tekun", "tuopin"], (await history.HeldOnAsync(residentId, reviewDay, CancellationToken.None)).Order());
        Assert.Equal(["tekun", "tuopin"], (await Server.Services.GetRequiredService<WeChatAssist.Server.Residents.ResidentRegistry>().GetAsync([residentId], CancellationToken.None)).Single().CategoryCodes.Order());
    }

    [Fact]
    public async Task A_category_opened_by_one_correction_is_closed_by_the_next_and_clearing_categories_closes_them_all()
    {
        var (token, residentId, _) = await Server.BoundResidentAsync("丙二", TestIds.Next());
        using var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        var first = (await Server.SubmitAsync(token, residentId, "category", "低保")).Body.GetProperty("id").GetInt64();
        await admin.PostAsync($"/api/v1/admin/corrections/{first}/approve");
        var clearing = await Server.SubmitAsync(token, residentId, "category", "无");
        Assert.True(clearing.Status == HttpStatusCode.Created, clearing.Text);
        var second = clearing.Body.GetProperty("id").GetInt64();
        var rejected = (await Server.SubmitAsync(token, residentId, "category", "特困人员")).Body.GetProperty("id").GetInt64();
        await admin.PostAsync($"/api/v1/admin/corrections/{rejected}/reject", new { reason = "无证明材料" });

        await admin.PostAsync($"/api/v1/admin/corrections/{second}/approve");

        var day = new DateOnly(2023, 11, 15);
        var span = Assert.Single(await Server.Services.GetRequiredService<CategoryHistory>().ListAsync(residentId, CancellationToken.None));
        Assert.Equal(new CategoryHistory.Span("dibao", day, day, null, null, first, second), span);
        Assert.Equal(1, await Server.CountAsync($"SELECT COUNT(*) FROM resident_category_history WHERE resident_id = {residentId} AND opened_by_correction = {first} AND closed_by_correction = {second} AND valid_to IS NOT NULL"));
    }

    [Fact]
    public async Task Recording_a_change_never_ends_a_span_before_it_began_and_leaves_an_already_open_category_alone()
    {
        var residentId = await Server.SeedAsync("丙三", TestIds.Next(), categories: ["dibao"]);
        var history = Server.Services.GetRequiredService<CategoryHistory>();
        var database = Server.Services.GetRequiredService<DatabaseTarget>();
        var day = new DateOnly(2023, 11, 15);
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // A department dated 低保 from December; 特困 is already open.
            Assert.Equal(new CategoryHistoryChange(2, 0), await history.RecordChangeAsync(connection, transaction, residentId, [], ["dibao", "tekun"], day.AddDays(16), CategorySource.Import(7001), CancellationToken.None));
            Assert.Equal(new CategoryHistoryChange(0, 1), await history.RecordChangeAsync(connection, transaction, residentId, ["dibao", "tekun"], ["tekun"], day, CategorySource.Correction(7002), CancellationToken.None));
            Assert.Equal(new CategoryHistoryChange(0, 0), await history.RecordChangeAsync(connection, transaction, residentId, [], ["tekun"], day, CategorySource.Correction(7003), CancellationToken.None));
            await transaction.CommitAsync();
        }

        var spans = await history.ListAsync(residentId, CancellationToken.None);
        Assert.Equal(2, spans.Count);
        Assert.Contains(new CategoryHistory.Span("dibao", day.AddDays(16), day.AddDays(16), 7001, null, null, 7002), spans);
        Assert.Contains(new CategoryHistory.Span("tekun", day.AddDays(16), null, 7001, null, null, null), spans);
    }

    private const int WeChatErrorCodeSystemBusy = -1;

    private CorrectionPhotoRetention RetentionAt(DateTimeOffset now) =>
        ActivatorUtilities.CreateInstance<CorrectionPhotoRetention>(Server.Services, new FakeTimeProvider(now));

    private async Task<Correction> CorrectionAsync(long id) =>
        (await Server.Services.GetRequiredService<CorrectionStore>().GetAsync(id, CancellationToken.None))!;

    private void Fault(int errorCode) =>
        Server.Services.GetRequiredService<SimulatorFaults>().Inject(new SimulatorFault(SubscribeSend, SimulatorFaultKind.ErrorCode) { ErrorCode = errorCode });

    private int CallsTo(string openId) =>
        Server.Services.GetRequiredService<SimulatorCallLog>().Calls(SubscribeSend).Count(c => c.Body?.Contains(openId, StringComparison.Ordinal) == true);

    private int SentTo(string openId) => Server.Services.GetRequiredService<SimulatorCallLog>().Outbox(openId).Count;

    /// <summary>The notifier as it would run at <paramref name="now"/> (the real clock is the only thing replaced).</summary>
    private CorrectionNotifier NotifierAt(DateTimeOffset now) =>
        ActivatorUtilities.CreateInstance<CorrectionNotifier>(Server.Services, new FakeTimeProvider(now));

    private async Task<NotificationStatus?> StatusAsync(long correctionId) =>
        (await Server.Services.GetRequiredService<CorrectionStore>().GetAsync(correctionId, CancellationToken.None))?.NotifyStatus;

    private async Task<(long CorrectionId, string OpenId, StaffSession Admin)> PendingCorrectionAsync(string name, string field = "household", string value = "H-100", byte[]? photo = null)
    {
        var (token, residentId, openId) = await Server.BoundResidentAsync(name, TestIds.Next());
        var submitted = await Server.SubmitAsync(token, residentId, field, value, photo);
        Assert.True(submitted.Status == HttpStatusCode.Created, submitted.Text);
        var admin = await StaffSession.SignInAsync(Server, ResidentServer.AdminUser, ResidentServer.AdminPassword);
        return (submitted.Body.GetProperty("id").GetInt64(), openId, admin);
    }
}
