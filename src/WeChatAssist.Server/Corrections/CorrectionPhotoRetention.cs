using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Corrections;

/// <summary>Deletes the encrypted photo of a correction <c>Corrections:PhotoRetention</c> after its review (an ID
/// card or 户口簿 page is not kept longer than a question about the decision needs). A pending correction's photo is
/// never deleted. Each deletion is recorded on the correction and in <c>audit_log</c> (<see cref="DeletedAction"/>,
/// by <see cref="SystemUser"/>).</summary>
/// <remarks>The file goes first, then the row and the audit entry commit together: a failure in between leaves a row
/// that the next run finishes (deleting a missing file is no error), never a photo that outlives its record.
/// Retention is measured on the real clock, as <c>reviewed_at</c> is.</remarks>
internal sealed partial class CorrectionPhotoRetention(
    DatabaseTarget database,
    CorrectionStore store,
    CorrectionPhotos photos,
    AuditLog audit,
    IOptions<CorrectionsOptions> options,
    TimeProvider clock,
    ILogger<CorrectionPhotoRetention> logger)
{
    /// <summary>The audit action of a deletion.</summary>
    public const string DeletedAction = "corrections.photoDeleted";

    /// <summary>The audit trail's "staff user" for what the retention job does.</summary>
    public const string SystemUser = "system:photo-retention";

    private const int BatchSize = 200;

    /// <summary>Deletes every photo whose retention has passed; returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken)
    {
        var deleted = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var expired = await store.ExpiredPhotosAsync(now - options.Value.PhotoRetention, BatchSize, cancellationToken);
            var before = deleted;
            foreach (var photo in expired)
            {
                photos.Delete(photo.PhotoFile);
                await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                if (await CorrectionStore.MarkPhotoDeletedAsync(connection, transaction, photo, now, cancellationToken))
                {
                    await audit.RecordAsync(connection, transaction, SystemUser, DeletedAction, photo.ResidentId, cancellationToken);
                    deleted++;
                }

                await transaction.CommitAsync(cancellationToken);
            }

            // A full batch of rows that all changed meanwhile would come back unchanged: stop rather than spin.
            if (expired.Count < BatchSize || deleted == before)
            {
                if (deleted > 0)
                {
                    LogDeleted(logger, deleted);
                }

                return deleted;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} correction photos past their retention.")]
    private static partial void LogDeleted(ILogger logger, int count);
}

/// <summary>Runs <see cref="CorrectionPhotoRetention"/> hourly; one node of the cluster at a time.</summary>
internal sealed class CorrectionPhotoRetentionJob(CorrectionPhotoRetention retention) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await retention.DeleteExpiredAsync(cancellationToken);
}
