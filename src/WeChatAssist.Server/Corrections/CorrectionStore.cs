using System.Data.Common;
using System.Globalization;
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

/// <summary><c>corrections</c>: submissions, the scoped review queue, and the review's outcome and notification.</summary>
internal sealed class CorrectionStore(DatabaseTarget database, PersonalDataProtector protector, TimeProvider clock)
{
    private const string Select = """
        SELECT c.id, c.resident_id, c.account, c.app_id, c.open_id, c.field, c.new_value_encrypted, c.photo_file, c.photo_content_type,
               c.status, c.reason, c.reviewed_by, c.reviewed_at, c.notified_at, c.notify_error, c.created_at, r.policy_id, r.township, r.village,
               c.reviewed_on, c.notify_status, c.notify_attempts, c.notify_next_at, c.notify_error_code,
               c.photo_deleted_at
        FROM corrections c JOIN residents r ON r.id = c.resident_id
        """;

    public async Task<long> InsertAsync(NewCorrection correction, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO corrections (resident_id, account, app_id, open_id, field, new_value_encrypted, photo_file, photo_content_type, status, created_at)
            VALUES (@resident, @account, @app, @open, @field, @value, @photo, @type, 'pending', @now) RETURNING id
            """;
        command.AddParameter("@resident", correction.ResidentId);
        command.AddParameter("@account", correction.Account);
        command.AddParameter("@app", correction.AppId);
        command.AddParameter("@open", correction.OpenId);
        command.AddParameter("@field", CorrectionNames.Name(correction.Field));
        command.AddParameter("@value", protector.Protect(correction.NewValue));
        command.AddParameter("@photo", correction.PhotoFile);
        command.AddParameter("@type", correction.PhotoContentType);
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<int> CountPendingAsync(long residentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM corrections WHERE resident_id = @resident AND status = 'pending'";
        command.AddParameter("@resident", residentId);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Corrections of the given residents (the people a WeChat user has bound), newest first.</summary>
    public async Task<IReadOnlyList<Correction>> ListForResidentsAsync(IReadOnlyCollection<long> residentIds, int limit, CancellationToken cancellationToken)
    {
        if (residentIds.Count == 0)
        {
            return [];
        }

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = residentIds.Select((_, i) => "@r" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        command.CommandText = $"{Select} WHERE c.resident_id IN ({string.Join(", ", names)}) ORDER BY c.id DESC LIMIT @limit";
        foreach (var (id, name) in residentIds.Zip(names))
        {
            command.AddParameter(name, id);
        }

        command.AddParameter("@limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>The review queue within <paramref name="scope"/>: oldest first, so nothing waits behind newer work.</summary>
    public async Task<IReadOnlyList<Correction>> ListQueueAsync(ResidentScope scope, CorrectionStatus status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            {Select}
            WHERE c.status = @status
              AND (@policy IS NULL OR r.policy_id = @policy) AND (@township IS NULL OR r.township = @township) AND (@village IS NULL OR r.village = @village)
            ORDER BY c.id LIMIT @limit
            """;
        command.AddParameter("@status", CorrectionNames.Name(status));
        command.AddText("@policy", scope.PolicyId);
        command.AddText("@township", scope.Township);
        command.AddText("@village", scope.Village);
        command.AddParameter("@limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<Correction?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{Select} WHERE c.id = @id";
        command.AddParameter("@id", id);
        var rows = await ReadAsync(command, cancellationToken);
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
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE corrections SET status = @status, reviewed_by = @user, reviewed_at = @now, reviewed_on = @on, reason = @reason,
                   notify_status = 'queued', notify_attempts = 0, notify_next_at = @lease
            WHERE id = @id AND status = 'pending'
            """;
        command.AddParameter("@status", CorrectionNames.Name(outcome));
        command.AddParameter("@user", staffUser);
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        command.AddParameter("@on", SqlValues.Date(database.Provider, reviewedOn));
        command.AddParameter("@reason", reason);
        command.AddInstant(database.Provider, "@lease", notifyLeaseUntil);
        command.AddParameter("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The resident's category codes, the row locked until the caller's transaction ends (PostgreSQL; SQLite's
    /// write transaction already excludes other writers).</summary>
    public async Task<IReadOnlyList<string>> LockCategoriesAsync(DbConnection connection, DbTransaction transaction, long residentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT category_codes FROM residents WHERE id = @id" + (database.Provider == DatabaseProvider.Postgres ? " FOR UPDATE" : "");
        command.AddParameter("@id", residentId);
        return await command.ExecuteScalarAsync(cancellationToken) is string codes ? Codes(codes) : [];
    }

    /// <summary>Category codes as <c>residents.category_codes</c> and a category correction's value hold them: comma-separated.</summary>
    public static IReadOnlyList<string> Codes(string codes) => codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Corrections whose outcome message is due (queued or retrying, next send at or before <paramref name="now"/>), soonest first.</summary>
    public async Task<IReadOnlyList<long>> DueNotificationsAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id FROM corrections WHERE notify_status IN ('queued', 'retrying') AND notify_next_at <= @now
            ORDER BY notify_next_at, id LIMIT @limit
            """;
        command.AddInstant(database.Provider, "@now", now);
        command.AddParameter("@limit", limit);
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>Takes a due message for one send by moving its next send to <paramref name="leaseUntil"/>; false when
    /// it is no longer due (sent, or taken by someone else meanwhile).</summary>
    public async Task<bool> LeaseNotificationAsync(long id, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE corrections SET notify_next_at = @lease
            WHERE id = @id AND notify_status IN ('queued', 'retrying') AND notify_next_at <= @now
            """;
        command.AddInstant(database.Provider, "@lease", leaseUntil);
        command.AddInstant(database.Provider, "@now", now);
        command.AddParameter("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Records a send of the outcome message (or the decision not to send); staff see it in the queue.</summary>
    public async Task RecordNotificationAsync(long id, NotificationRecord record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE corrections SET notify_status = @status, notify_attempts = @attempts, notify_next_at = @next,
                   notify_error_code = @code, notify_error = @error, notified_at = CASE WHEN @sent THEN @now ELSE notified_at END
            WHERE id = @id
            """;
        command.AddParameter("@status", CorrectionNames.Name(record.Status));
        command.AddParameter("@attempts", record.Attempts);
        if (record.NextAt is { } next)
        {
            command.AddInstant(database.Provider, "@next", next);
        }
        else
        {
            command.AddParameter("@next", null);
        }

        command.AddParameter("@code", record.ErrorCode);
        command.AddText("@error", record.Error);
        command.AddParameter("@sent", record.Status == NotificationStatus.Sent);
        command.AddInstant(database.Provider, "@now", now);
        command.AddParameter("@id", id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Photos of corrections reviewed at or before <paramref name="reviewedBefore"/>, oldest review first.
    /// A pending correction's photo is never among them.</summary>
    public async Task<IReadOnlyList<ExpiredPhoto>> ExpiredPhotosAsync(DateTimeOffset reviewedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, resident_id, photo_file FROM corrections
            WHERE photo_file IS NOT NULL AND status <> 'pending' AND reviewed_at <= @before
            ORDER BY reviewed_at, id LIMIT @limit
            """;
        command.AddInstant(database.Provider, "@before", reviewedBefore);
        command.AddParameter("@limit", limit);
        var photos = new List<ExpiredPhoto>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            photos.Add(new ExpiredPhoto(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return photos;
    }

    /// <summary>Records inside the caller's transaction that the photo file is gone; false when the row changed meanwhile.</summary>
    public async Task<bool> MarkPhotoDeletedAsync(DbConnection connection, DbTransaction transaction, ExpiredPhoto photo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE corrections SET photo_file = NULL, photo_deleted_at = @now WHERE id = @id AND photo_file = @file AND status <> 'pending'";
        command.AddInstant(database.Provider, "@now", now);
        command.AddParameter("@id", photo.CorrectionId);
        command.AddParameter("@file", photo.PhotoFile);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task<List<Correction>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<Correction>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Correction(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                CorrectionNames.ParseField(reader.GetString(5)) ?? ResidentField.Name,
                protector.Unprotect(reader.GetString(6)),
                Text(reader, 7),
                Text(reader, 8),
                CorrectionNames.ParseStatus(reader.GetString(9)) ?? CorrectionStatus.Pending,
                Text(reader, 10),
                Text(reader, 11),
                reader.IsDBNull(12) ? null : reader.GetInstant(database.Provider, 12),
                reader.IsDBNull(13) ? null : reader.GetInstant(database.Provider, 13),
                Text(reader, 14),
                reader.GetInstant(database.Provider, 15),
                reader.GetString(16),
                reader.GetString(17),
                reader.GetString(18),
                reader.GetDate(database.Provider, 19),
                Text(reader, 20) is { } notify ? CorrectionNames.ParseNotification(notify) : null,
                reader.GetInt32(21),
                reader.IsDBNull(22) ? null : reader.GetInstant(database.Provider, 22),
                reader.IsDBNull(23) ? null : reader.GetInt32(23),
                reader.IsDBNull(24) ? null : reader.GetInstant(database.Provider, 24)));
        }

        return rows;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
