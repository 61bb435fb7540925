using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Corrections;

/// <summary>Staff review a pending correction: approving applies it to the registry (with history; a category change
/// also ends and starts spans of the category history), rejecting keeps the registry as it is; either is audited in
/// the same transaction, and then the resident is told. The message is sent after the commit and its failure is
/// recorded; should this node stop before the send, the retry job sends it once the lease is over.</summary>
internal sealed class CorrectionReview(
    DatabaseTarget database,
    CorrectionStore store,
    ResidentEditor editor,
    ResidentRegistry registry,
    CorrectionNotifier notifier,
    CategoryHistory categoryHistory,
    ImportStore imports,
    AuditLog audit,
    BusinessClock clock,
    TimeProvider realClock,
    [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts)
{
    public const string ApproveAction = "corrections.approve";
    public const string RejectAction = "corrections.reject";

    /// <summary>Most characters of a review's reason.</summary>
    public const int MaxReasonLength = 200;

    /// <summary>Reviews correction <paramref name="id"/> as <paramref name="staff"/>, who sees the residents of
    /// <paramref name="scope"/> (none when null); a rejection needs a reason.</summary>
    public async Task<CorrectionStep> ReviewAsync(long id, ResidentScope? scope, CorrectionStatus outcome, string? reason, string staff, CancellationToken cancellationToken)
    {
        if (outcome == CorrectionStatus.Rejected && string.IsNullOrWhiteSpace(reason))
        {
            return CorrectionStep.Refused(StatusCodes.Status400BadRequest, "reasonMissing");
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is { Length: > MaxReasonLength })
        {
            return CorrectionStep.Refused(StatusCodes.Status400BadRequest, "valueTooLong", ("max", MaxReasonLength));
        }

        if (scope is null || await store.GetInScopeAsync(id, scope, cancellationToken) is not { } correction)
        {
            return CorrectionStep.Refused(StatusCodes.Status404NotFound, "correctionNotFound");
        }

        if (correction.Status != CorrectionStatus.Pending)
        {
            return CorrectionStep.Refused(StatusCodes.Status409Conflict, "alreadyReviewed");
        }

        var today = clock.Today();
        var now = realClock.GetUtcNow();
        await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (!await store.ClaimReviewAsync(connection, transaction, correction.Id, outcome, staff, reason, today, now + CorrectionNotifier.Lease, cancellationToken))
            {
                return CorrectionStep.Refused(StatusCodes.Status409Conflict, "alreadyReviewed");
            }

            if (outcome == CorrectionStatus.Approved)
            {
                // The policy's import lock keeps a running import from planning on the codes being replaced.
                IReadOnlyList<string>? categoriesBefore = null;
                if (correction.Field == ResidentField.Category)
                {
                    await imports.LockPolicyAsync(connection, transaction, correction.PolicyId, cancellationToken);
                    categoriesBefore = await editor.LockCategoriesAsync(connection, transaction, correction.ResidentId, cancellationToken);
                }

                var change = await editor.ChangeAsync(connection, transaction, correction.ResidentId, correction.Field, correction.NewValue, correction.Id, staff, today, cancellationToken);
                if (change != ResidentChangeOutcome.Applied)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return change switch
                    {
                        ResidentChangeOutcome.IdNumberTaken => CorrectionStep.Refused(StatusCodes.Status409Conflict, "idNumberTaken"),
                        ResidentChangeOutcome.ResidentMissing => CorrectionStep.Refused(StatusCodes.Status404NotFound, "residentMissing"),
                        _ => CorrectionStep.Refused(StatusCodes.Status422UnprocessableEntity, "valueMissing", ("field", texts.Word("field." + CorrectionNames.Name(correction.Field)))),
                    };
                }

                if (categoriesBefore is not null)
                {
                    await categoryHistory.RecordChangeAsync(
                        connection, transaction, correction.ResidentId, categoriesBefore, CorrectionStore.Codes(correction.NewValue), today, CategorySource.Correction(correction.Id), cancellationToken);
                }
            }

            await audit.RecordAsync(connection, transaction, staff, outcome == CorrectionStatus.Approved ? ApproveAction : RejectAction, correction.ResidentId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // The review stands whatever WeChat answers; the request's own cancellation must not skip recording it.
        await notifier.SendAsync((await store.GetAsync(correction.Id, CancellationToken.None))!, CancellationToken.None);
        var reviewed = await store.GetAsync(correction.Id, cancellationToken);
        var resident = (await registry.GetAsync([correction.ResidentId], cancellationToken)).Single();
        return new CorrectionStep(reviewed, resident, null);
    }
}
