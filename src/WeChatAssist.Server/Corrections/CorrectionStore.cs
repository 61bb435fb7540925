using System.Data.Common;
using Dapper;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Corrections;

/// <summary>A correction to submit: who asked (for the reply message), for whom, what and the right value.</summary>
internal sealed record NewCorrection(long ResidentId, string Account, string AppId, string OpenId, ResidentField Field, string NewValue, string? PhotoFile, string? PhotoContentType);

/// <summary>A correction with its resident's scope (county, township, village), the new value decrypted.</summary>
internal sealed record Correction(
    long Id,
    long ResidentId,
    string Account,
    string AppId,
    string OpenId,
    ResidentField Field,
    string NewValue,
    string? PhotoFile,
    string? PhotoContentType,
    CorrectionStatus Status,
    string? Reason,
    string? ReviewedBy,
    DateTimeOffset? ReviewedAt,
    DateTimeOffset? NotifiedAt,
    string? NotifyError,
    DateTimeOffset CreatedAt,
    string PolicyId,
    string Township,
    string Village,
    DateOnly? ReviewedOn,
    NotificationStatus? NotifyStatus,
    int NotifyAttempts,
    DateTimeOffset? NotifyNextAt,
    int? NotifyErrorCode,
    DateTimeOffset? PhotoDeletedAt);

/// <summary>A reviewed correction's photo that is due for deletion.</summary>
internal sealed record ExpiredPhoto(long CorrectionId, long ResidentId, string PhotoFile);

/// <summary>The outcome of one send of the outcome message (or of deciding not to send), as stored.</summary>
internal sealed record NotificationRecord(NotificationStatus Status, int Attempts, DateTimeOffset? NextAt, int? ErrorCode, string? Error);

/// <summary><c>corrections</c>: submissions, the scoped review queue, and the review's outcome and notification.
/// The one store of the table; rows are mapped by Dapper, the few provider differences come from the dialect.</summary>
internal sealed class CorrectionStore(DatabaseTarget database, ISqlDialect dialect, PersonalDataProtector protector, TimeProvider clock)
{
    private const string Select = $"""
        SELECT c.id, c.resident_id, c.account, c.app_id, c.open_id, c.field, c.new_value_encrypted, c.photo_file, c.photo_content_type,
               c.status, c.reason, c.reviewed_by, c.reviewed_at, c.notified_at, c.notify_error, c.created_at, r.policy_id, r.township, r.village,
               c.reviewed_on, c.notify_status, c.notify_attempts, c.notify_next_at, c.notify_error_code,
               c.photo_deleted_at
        FROM corrections c JOIN {ResidentSql.Roster} r ON r.id = c.resident_id
        """;

    public async Task<long> InsertAsync(NewCorrection correction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        return await database.ExecuteScalarAsync<long>("""
            INSERT INTO corrections (resident_id, account, app_id, open_id, field, new_value_encrypted, photo_file, photo_content_type, status, created_at)
            VALUES (@ResidentId, @Account, @AppId, @OpenId, @Field, @Value, @PhotoFile, @PhotoContentType, 'pending', @Now) RETURNING id
            """,
            new
            {
                correction.ResidentId,
                correction.Account,
                correction.AppId,
                correction.OpenId,
                Field = CorrectionNames.Name(correction.Field),
                Value = protector.Protect(correction.NewValue),
                correction.PhotoFile,
                correction.PhotoContentType,
                Now = clock.GetUtcNow(),
            },
            cancellationToken);
    }

    public Task<int> CountPendingAsync(long residentId, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM corrections WHERE resident_id = @residentId AND status = 'pending'", new { residentId }, cancellationToken);

    /// <summary>Corrections of the given residents (the people a WeChat user has bound), newest first.</summary>
    public async Task<IReadOnlyList<Correction>> ListForResidentsAsync(IReadOnlyCollection<long> residentIds, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(residentIds);
        return residentIds.Count == 0
            ? []
            : await ReadAsync($"{Select} WHERE c.resident_id {dialect.AnyOf("@ids")} ORDER BY c.id DESC LIMIT @limit", new { ids = residentIds.ToArray(), limit }, cancellationToken);
    }

    /// <summary>The review queue within <paramref name="scope"/>: oldest first, so nothing waits behind newer work.</summary>
    public Task<IReadOnlyList<Correction>> ListQueueAsync(ResidentScope scope, CorrectionStatus status, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return ReadAsync($"""
            {Select}
            WHERE c.status = @status
              AND (@PolicyId IS NULL OR r.policy_id = @PolicyId) AND (@Township IS NULL OR r.township = @Township) AND (@Village IS NULL OR r.village = @Village)
            ORDER BY c.id LIMIT @limit
            """,
            new { status = CorrectionNames.Name(status), scope.PolicyId, scope.Township, scope.Village, limit },
            cancellationToken);
    }

    public async Task<Correction?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync($"{Select} WHERE c.id = @id", new { id }, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>The correction when its resident is within <paramref name="scope"/>; null otherwise, as if it did not exist.</summary>
    public async Task<Correction?> GetInScopeAsync(long id, ResidentScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var correction = await GetAsync(id, cancellationToken);
        return correction is not null
            && (scope.PolicyId is null || scope.PolicyId == correction.PolicyId)
            && (scope.Township is null || scope.Township == correction.Township)
            && (scope.Village is null || scope.Village == correction.Village)
            ? correction
            : null;
    }

    /// <summary>Marks a pending correction reviewed inside the caller's transaction and queues its outcome message,
    /// leased until <paramref name="notifyLeaseUntil"/> for the send that follows the commit (should that send never
    /// happen, the retry job takes it after the lease); false when someone reviewed it first.</summary>
    public async Task<bool> ClaimReviewAsync(
        DbConnection connection,
        DbTransaction transaction,
        long id,
        CorrectionStatus outcome,
        string staffUser,
        string? reason,
        DateOnly reviewedOn,
        DateTimeOffset notifyLeaseUntil,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE corrections SET status = @status, reviewed_by = @staffUser, reviewed_at = @now, reviewed_on = @reviewedOn, reason = @reason,
                   notify_status = 'queued', notify_attempts = 0, notify_next_at = @notifyLeaseUntil
            WHERE id = @id AND status = 'pending'
            """,
            new { status = CorrectionNames.Name(outcome), staffUser, now = clock.GetUtcNow(), reviewedOn, reason, notifyLeaseUntil, id },
            transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Category codes as <c>residents.category_codes</c> and a category correction's value hold them: comma-separated.</summary>
    public static IReadOnlyList<string> Codes(string codes) => codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Corrections whose outcome message is due (queued or retrying, next send at or before <paramref name="now"/>), soonest first.</summary>
    public async Task<IReadOnlyList<long>> DueNotificationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync<long>("""
            SELECT id FROM corrections WHERE notify_status IN ('queued', 'retrying') AND notify_next_at <= @now
            ORDER BY notify_next_at, id LIMIT @limit
            """,
            new { now, limit },
            cancellationToken);

    /// <summary>Takes a due message for one send by moving its next send to <paramref name="leaseUntil"/>; false when
    /// it is no longer due (sent, or taken by someone else meanwhile).</summary>
    public async Task<bool> LeaseNotificationAsync(long id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken) =>
        await database.ExecuteAsync("""
            UPDATE corrections SET notify_next_at = @leaseUntil
            WHERE id = @id AND notify_status IN ('queued', 'retrying') AND notify_next_at <= @now
            """,
            new { leaseUntil, now, id },
            cancellationToken) == 1;

    /// <summary>Records a send of the outcome message (or the decision not to send); staff see it in the queue.</summary>
    public async Task RecordNotificationAsync(long id, NotificationRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await database.ExecuteAsync("""
            UPDATE corrections SET notify_status = @status, notify_attempts = @Attempts, notify_next_at = @NextAt,
                   notify_error_code = @ErrorCode, notify_error = @Error, notified_at = CASE WHEN @sent THEN @now ELSE notified_at END
            WHERE id = @id
            """,
            new { status = CorrectionNames.Name(record.Status), record.Attempts, record.NextAt, record.ErrorCode, record.Error, sent = record.Status == NotificationStatus.Sent, now, id },
            cancellationToken);
    }

    /// <summary>Photos of corrections reviewed at or before <paramref name="reviewedBefore"/>, oldest review first.
    /// A pending correction's photo is never among them.</summary>
    public async Task<IReadOnlyList<ExpiredPhoto>> ExpiredPhotosAsync(DateTimeOffset reviewedBefore, int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync<ExpiredPhoto>("""
            SELECT id AS correction_id, resident_id, photo_file FROM corrections
            WHERE photo_file IS NOT NULL AND status <> 'pending' AND reviewed_at <= @reviewedBefore
            ORDER BY reviewed_at, id LIMIT @limit
            """,
            new { reviewedBefore, limit },
            cancellationToken);

    /// <summary>Records inside the caller's transaction that the photo file is gone; false when the row changed meanwhile.</summary>
    public static async Task<bool> MarkPhotoDeletedAsync(DbConnection connection, DbTransaction transaction, ExpiredPhoto photo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(photo);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE corrections SET photo_file = NULL, photo_deleted_at = @now WHERE id = @CorrectionId AND photo_file = @PhotoFile AND status <> 'pending'",
            new { now, photo.CorrectionId, photo.PhotoFile },
            transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    private async Task<IReadOnlyList<Correction>> ReadAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<CorrectionRow>(sql, parameters, cancellationToken)).Select(ToCorrection)];

    private Correction ToCorrection(CorrectionRow row) => new(
        row.Id,
        row.ResidentId,
        row.Account,
        row.AppId,
        row.OpenId,
        CorrectionNames.ParseField(row.Field) ?? ResidentField.Name,
        protector.Unprotect(row.NewValueEncrypted),
        row.PhotoFile,
        row.PhotoContentType,
        CorrectionNames.ParseStatus(row.Status) ?? CorrectionStatus.Pending,
        row.Reason,
        row.ReviewedBy,
        row.ReviewedAt,
        row.NotifiedAt,
        row.NotifyError,
        row.CreatedAt,
        row.PolicyId,
        row.Township,
        row.Village,
        row.ReviewedOn,
        row.NotifyStatus is { } notify ? CorrectionNames.ParseNotification(notify) : null,
        row.NotifyAttempts,
        row.NotifyNextAt,
        row.NotifyErrorCode,
        row.PhotoDeletedAt);

    /// <summary>A row of <see cref="Select"/> as stored (names and states as text, the value encrypted), in column order.</summary>
    private sealed record CorrectionRow(
        long Id,
        long ResidentId,
        string Account,
        string AppId,
        string OpenId,
        string Field,
        string NewValueEncrypted,
        string? PhotoFile,
        string? PhotoContentType,
        string Status,
        string? Reason,
        string? ReviewedBy,
        DateTimeOffset? ReviewedAt,
        DateTimeOffset? NotifiedAt,
        string? NotifyError,
        DateTimeOffset CreatedAt,
        string PolicyId,
        string Township,
        string Village,
        DateOnly? ReviewedOn,
        string? NotifyStatus,
        int NotifyAttempts,
        DateTimeOffset? NotifyNextAt,
        int? NotifyErrorCode,
        DateTimeOffset? PhotoDeletedAt);
}
