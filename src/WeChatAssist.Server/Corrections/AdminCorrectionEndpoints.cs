using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Imports;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Corrections;

/// <summary><c>/api/v1/admin/corrections</c>: the review queue within the caller's scope (a cadre their village,
/// township staff their township), opening a correction and its photo, approve and reject. Every step is audited.</summary>
internal static class AdminCorrectionEndpoints
{
    public const string ListAction = "corrections.list";
    public const string ReadAction = "corrections.read";
    public const string PhotoAction = "corrections.photo";
    public const string ApproveAction = "corrections.approve";
    public const string RejectAction = "corrections.reject";

    private const int PageSize = 200;
    private const int MaxReasonLength = 200;

    public static IEndpointRouteBuilder MapAdminCorrections(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/admin/corrections").WithTags("Admin")
            .RequireAuthorization(StaffClaims.VillagePolicy)
            .AddEndpointFilter<PersonalDataGate>();
        group.MapGet("", List).WithName("AdminListCorrections");
        group.MapGet("/{id:long}", Get).WithName("AdminGetCorrection");
        group.MapGet("/{id:long}/photo", Photo).WithName("AdminGetCorrectionPhoto");
        group.MapPost("/{id:long}/approve", Approve).WithName("AdminApproveCorrection");
        group.MapPost("/{id:long}/reject", Reject).WithName("AdminRejectCorrection");
        return endpoints;
    }

    internal static async Task<Results<Ok<AdminCorrectionRow[]>, ProblemHttpResult>> List(
        string? status,
        ClaimsPrincipal user,
        CorrectionStore store,
        ResidentRegistry registry,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (!AdminResidentEndpoints.TryScope(user, null, null, null, out var scope))
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "scopeForbidden");
        }

        var wanted = string.IsNullOrWhiteSpace(status) ? CorrectionStatus.Pending : CorrectionNames.ParseStatus(status.Trim()) ?? CorrectionStatus.Pending;
        var corrections = await store.ListQueueAsync(scope, wanted, PageSize, cancellationToken);
        var residents = (await registry.GetAsync([.. corrections.Select(c => c.ResidentId).Distinct()], cancellationToken)).ToDictionary(r => r.Id);
        await audit.RecordReadsAsync(StaffName(user), ListAction, residents.Keys, cancellationToken);
        return TypedResults.Ok(corrections.Where(c => residents.ContainsKey(c.ResidentId)).Select(c => Row(c, residents[c.ResidentId])).ToArray());
    }

    internal static async Task<Results<Ok<AdminCorrectionDetail>, ProblemHttpResult>> Get(
        long id,
        ClaimsPrincipal user,
        CorrectionStore store,
        ResidentRegistry registry,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } correction
            || (await registry.GetAsync([correction.ResidentId], cancellationToken)).SingleOrDefault() is not { } resident)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "correctionNotFound");
        }

        await audit.RecordReadsAsync(StaffName(user), ReadAction, [resident.Id], cancellationToken);
        return TypedResults.Ok(new AdminCorrectionDetail(Row(correction, resident), CurrentValue(correction.Field, resident), correction.NewValue));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Photo(
        long id,
        ClaimsPrincipal user,
        CorrectionStore store,
        CorrectionPhotos photos,
        AuditLog audit,
        BusinessClock clock,
        [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } correction)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "correctionNotFound");
        }

        if (correction.PhotoDeletedAt is not null)
        {
            return texts.Problem(StatusCodes.Status410Gone, "photoDeleted", ("date", PolicyFormat.Date(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(correction.PhotoDeletedAt.Value, clock.LocalTimeZone).DateTime))));
        }

        if (correction.PhotoFile is null || await photos.ReadAsync(correction.PhotoFile, cancellationToken) is not { } content)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "photoMissing");
        }

        await audit.RecordReadsAsync(StaffName(user), PhotoAction, [correction.ResidentId], cancellationToken);
        return TypedResults.File(content, correction.PhotoContentType ?? "application/octet-stream");
    }

    internal static async Task<Results<Ok<AdminCorrectionRow>, ProblemHttpResult>> Approve(
        long id,
        CorrectionReviewRequest? request,
        ClaimsPrincipal user,
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
        [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
        CancellationToken cancellationToken) =>
        await ReviewAsync(id, CorrectionStatus.Approved, request?.Reason, user, database, store, editor, registry, notifier, categoryHistory, imports, audit, clock, realClock, texts, cancellationToken);

    internal static async Task<Results<Ok<AdminCorrectionRow>, ProblemHttpResult>> Reject(
        long id,
        CorrectionReviewRequest? request,
        ClaimsPrincipal user,
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
        [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request?.Reason))
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "reasonMissing");
        }

        return await ReviewAsync(id, CorrectionStatus.Rejected, request.Reason, user, database, store, editor, registry, notifier, categoryHistory, imports, audit, clock, realClock, texts, cancellationToken);
    }

    /// <summary>Claims the pending correction, applies it to the registry when approved (with history) and audits it,
    /// all in one transaction; then tells the resident. The message is sent after the commit and its failure is recorded.</summary>
    private static async Task<Results<Ok<AdminCorrectionRow>, ProblemHttpResult>> ReviewAsync(
        long id,
        CorrectionStatus outcome,
        string? reason,
        ClaimsPrincipal user,
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
        [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (reason is { Length: > MaxReasonLength })
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "valueTooLong", ("max", MaxReasonLength));
        }

        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } correction)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "correctionNotFound");
        }

        if (correction.Status != CorrectionStatus.Pending)
        {
            return texts.Problem(StatusCodes.Status409Conflict, "alreadyReviewed");
        }

        var staff = StaffName(user);
        var today = clock.Today();
        var now = realClock.GetUtcNow();
        await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            if (!await store.ClaimReviewAsync(connection, transaction, id, outcome, staff, reason, today, now + CorrectionNotifier.Lease, cancellationToken))
            {
                return texts.Problem(StatusCodes.Status409Conflict, "alreadyReviewed");
            }

            if (outcome == CorrectionStatus.Approved)
            {
                // A category change also ends and starts spans of the category history, as a change list does; the
                // policy's import lock keeps a running import from planning on the codes being replaced.
                IReadOnlyList<string>? categoriesBefore = null;
                if (correction.Field == ResidentField.Category)
                {
                    await imports.LockPolicyAsync(connection, transaction, correction.PolicyId, cancellationToken);
                    categoriesBefore = await store.LockCategoriesAsync(connection, transaction, correction.ResidentId, cancellationToken);
                }

                var change = await editor.ChangeAsync(connection, transaction, correction.ResidentId, correction.Field, correction.NewValue, correction.Id, staff, today, cancellationToken);
                if (change != ResidentChangeOutcome.Applied)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return change switch
                    {
                        ResidentChangeOutcome.IdNumberTaken => texts.Problem(StatusCodes.Status409Conflict, "idNumberTaken"),
                        ResidentChangeOutcome.ResidentMissing => texts.Problem(StatusCodes.Status404NotFound, "residentMissing"),
                        _ => texts.Problem(StatusCodes.Status422UnprocessableEntity, "valueMissing", ("field", texts.Word("field." + CorrectionNames.Name(correction.Field)))),
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

        // The review stands whatever WeChat answers; the request's own cancellation must not skip recording it. Should
        // this node stop before the send, the retry job sends it once the lease is over.
        await notifier.SendAsync((await store.GetAsync(id, CancellationToken.None))!, CancellationToken.None);
        var reviewed = await store.GetAsync(id, cancellationToken);
        var resident = (await registry.GetAsync([correction.ResidentId], cancellationToken)).Single();
        return TypedResults.Ok(Row(reviewed!, resident));
    }

    private static async Task<Correction?> FindInScopeAsync(long id, ClaimsPrincipal user, CorrectionStore store, CancellationToken cancellationToken)
    {
        if (!AdminResidentEndpoints.TryScope(user, null, null, null, out var scope))
        {
            return null;
        }

        var correction = await store.GetAsync(id, cancellationToken);
        return correction is not null
            && (scope.PolicyId is null || scope.PolicyId == correction.PolicyId)
            && (scope.Township is null || scope.Township == correction.Township)
            && (scope.Village is null || scope.Village == correction.Village)
            ? correction
            : null;
    }

    private static string? CurrentValue(ResidentField field, Resident resident) => field switch
    {
        ResidentField.Name => resident.Name,
        ResidentField.IdNumber => resident.IdNumber,
        ResidentField.Address => resident.Address,
        ResidentField.Township => resident.Township,
        ResidentField.Village => resident.Village,
        ResidentField.Household => resident.Household,
        _ => string.Join(',', resident.CategoryCodes),
    };

    private static AdminCorrectionRow Row(Correction c, Resident resident) => new(
        c.Id,
        c.ResidentId,
        resident.PolicyId,
        resident.Township,
        resident.Village,
        PersonalDataMask.Name(resident.Name),
        PersonalDataMask.IdNumber(resident.IdNumber),
        CorrectionNames.Name(c.Field),
        MiniProgramCorrectionEndpoints.Shown(c.Field, c.NewValue),
        CorrectionNames.Name(c.Status),
        c.PhotoFile is not null,
        c.CreatedAt,
        c.ReviewedBy,
        c.ReviewedAt,
        c.Reason,
        c.NotifiedAt is not null,
        c.NotifyError,
        c.NotifyStatus is { } notify ? CorrectionNames.Name(notify) : null,
        c.NotifyAttempts,
        c.NotifyErrorCode,
        c.NotifyStatus is NotificationStatus.Queued or NotificationStatus.Retrying ? c.NotifyNextAt : null,
        c.PhotoDeletedAt);

    private static string StaffName(ClaimsPrincipal user) => user.Identity?.Name ?? "";
}
