using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Corrections;

/// <summary>What the staff correction endpoints use, bundled (bound with <c>[AsParameters]</c>) so a handler's
/// signature names only what the request carries.</summary>
internal sealed record AdminCorrectionServices(
    CorrectionStore Store,
    CorrectionReview Review,
    CorrectionPhotos Photos,
    ResidentRegistry Registry,
    AuditLog Audit,
    BusinessClock Clock,
    [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts Texts);

/// <summary><c>/api/v1/admin/corrections</c>: the review queue within the caller's scope (a cadre their village,
/// township staff their township), opening a correction and its photo, approve and reject. Every step is audited.</summary>
internal static class AdminCorrectionEndpoints
{
    public const string ListAction = "corrections.list";
    public const string ReadAction = "corrections.read";
    public const string PhotoAction = "corrections.photo";
    public const string ApproveAction = CorrectionReview.ApproveAction;
    public const string RejectAction = CorrectionReview.RejectAction;

    private const int PageSize = 200;

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
        [AsParameters] AdminCorrectionServices services,
        CancellationToken cancellationToken)
    {
        var (store, registry, audit, texts) = (services.Store, services.Registry, services.Audit, services.Texts);
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
        [AsParameters] AdminCorrectionServices services,
        CancellationToken cancellationToken)
    {
        var (store, registry, audit, texts) = (services.Store, services.Registry, services.Audit, services.Texts);
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
        [AsParameters] AdminCorrectionServices services,
        CancellationToken cancellationToken)
    {
        var (store, photos, audit, clock, texts) = (services.Store, services.Photos, services.Audit, services.Clock, services.Texts);
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

    internal static Task<Results<Ok<AdminCorrectionRow>, ProblemHttpResult>> Approve(
        long id, CorrectionReviewRequest? request, ClaimsPrincipal user, [AsParameters] AdminCorrectionServices services, CancellationToken cancellationToken) =>
        ReviewAsync(id, CorrectionStatus.Approved, request?.Reason, user, services, cancellationToken);

    internal static Task<Results<Ok<AdminCorrectionRow>, ProblemHttpResult>> Reject(
        long id, CorrectionReviewRequest? request, ClaimsPrincipal user, [AsParameters] AdminCorrectionServices services, CancellationToken cancellationToken) =>
        ReviewAsync(id, CorrectionStatus.Rejected, request?.Reason, user, services, cancellationToken);

    private static async Task<Results<Ok<AdminCorrectionRow>, ProblemHttpResult>> ReviewAsync(
        long id, CorrectionStatus outcome, string? reason, ClaimsPrincipal user, AdminCorrectionServices services, CancellationToken cancellationToken)
    {
        var scope = AdminResidentEndpoints.TryScope(user, null, null, null, out var allowed) ? allowed : null;
        var step = await services.Review.ReviewAsync(id, scope, outcome, reason, StaffName(user), cancellationToken);
        return step.Refusal is { } refusal
            ? services.Texts.Problem(refusal.Status, refusal.Key, refusal.Values)
            : TypedResults.Ok(Row(step.Correction!, step.Resident!));
    }

    private static async Task<Correction?> FindInScopeAsync(long id, ClaimsPrincipal user, CorrectionStore store, CancellationToken cancellationToken)
    {
        if (!AdminResidentEndpoints.TryScope(user, null, null, null, out var scope))
        {
            return null;
        }

        return await store.GetInScopeAsync(id, scope, cancellationToken);
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
