using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Staff;

/// <summary>A resident as staff see them in a list: masked.</summary>
internal sealed record AdminResidentRow(long Id, string PolicyId, string Township, string Village, string Name, string IdNumber, IReadOnlyList<string> Categories, int? PaidYear, DateOnly? PaidOn);

/// <summary>One change of a resident's registration, values masked where they identify.</summary>
internal sealed record ResidentHistoryRow(string Field, string? OldValue, string? NewValue, long? CorrectionId, string StaffUser, DateTimeOffset At);

/// <summary><c>/api/v1/admin/residents</c>: the registry within the caller's scope, masked, every read audited.</summary>
internal static class AdminResidentEndpoints
{
    /// <summary>The audit action of a list read.</summary>
    public const string ListAction = "residents.list";

    /// <summary>The audit action of a history read.</summary>
    public const string HistoryAction = "residents.history";

    private const int PageSize = 200;

    public static IEndpointRouteBuilder MapAdminResidents(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/admin").WithTags("Admin")
            .RequireAuthorization(StaffClaims.VillagePolicy)
            .AddEndpointFilter<PersonalDataGate>();
        group.MapGet("/residents", ListResidents).WithName("AdminListResidents");
        group.MapGet("/residents/{id:long}/history", History).WithName("AdminResidentHistory");
        return endpoints;
    }

    internal static async Task<Results<Ok<AdminResidentRow[]>, ProblemHttpResult>> ListResidents(
        string? policyId,
        string? township,
        string? village,
        ClaimsPrincipal user,
        ResidentRegistry registry,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (!TryScope(user, policyId, township, village, out var scope))
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "scopeForbidden");
        }

        var residents = await registry.ListAsync(scope, PageSize, cancellationToken);
        await audit.RecordReadsAsync(user.Identity?.Name ?? "", ListAction, residents.Select(r => r.Id), cancellationToken);
        return TypedResults.Ok(residents.Select(r => new AdminResidentRow(
            r.Id, r.PolicyId, r.Township, r.Village, PersonalDataMask.Name(r.Name), PersonalDataMask.IdNumber(r.IdNumber), r.CategoryCodes, r.PaidYear, r.PaidOn)).ToArray());
    }

    internal static async Task<Results<Ok<ResidentHistoryRow[]>, ProblemHttpResult>> History(
        long id,
        ClaimsPrincipal user,
        ResidentRegistry registry,
        ResidentEditor editor,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        var resident = (await registry.GetAsync([id], cancellationToken)).SingleOrDefault();
        if (!TryScope(user, null, null, null, out var scope) || resident is null
            || (scope.PolicyId is not null && scope.PolicyId != resident.PolicyId)
            || (scope.Township is not null && scope.Township != resident.Township)
            || (scope.Village is not null && scope.Village != resident.Village))
        {
            return texts.Problem(StatusCodes.Status404NotFound, "residentNotFound");
        }

        var history = await editor.HistoryAsync(id, cancellationToken);
        await audit.RecordReadsAsync(user.Identity?.Name ?? "", HistoryAction, [id], cancellationToken);
        return TypedResults.Ok(history.Select(h => new ResidentHistoryRow(h.Field, Masked(h.Field, h.OldValue), Masked(h.Field, h.NewValue), h.CorrectionId, h.StaffUser, h.At)).ToArray());

        // Names, numbers and addresses stay masked here too; the full values are in the correction, whose reading is audited.
        static string? Masked(string field, string? value) => value is null ? null : field switch
        {
            "name" => PersonalDataMask.Name(value),
            "idNumber" => PersonalDataMask.IdNumber(value),
            "address" => value[..Math.Min(4, value.Length / 2)] + "****",
            _ => value,
        };
    }

    /// <summary>Narrows a request to the caller's scope: a part fixed by the caller's account may only be repeated,
    /// not changed. Township staff need a township, village cadres a township and village, or they see nothing.</summary>
    internal static bool TryScope(ClaimsPrincipal user, string? policyId, string? township, string? village, out ResidentScope scope)
    {
        scope = new ResidentScope(null, null, null);
        var role = StaffClaims.Parse(user.FindFirstValue(ClaimTypes.Role));
        var fixedPolicy = user.FindFirstValue(StaffClaims.PolicyId);
        var fixedTownship = role is StaffRole.Township or StaffRole.Village ? user.FindFirstValue(StaffClaims.Township) : null;
        var fixedVillage = role is StaffRole.Village ? user.FindFirstValue(StaffClaims.Village) : null;
        if (role is null
            || (role is StaffRole.Township or StaffRole.Village && fixedTownship is null)
            || (role is StaffRole.Village && fixedVillage is null))
        {
            return false;
        }

        if (!Narrow(fixedPolicy, policyId, out var p) || !Narrow(fixedTownship, township, out var t) || !Narrow(fixedVillage, village, out var v))
        {
            return false;
        }

        scope = new ResidentScope(p, t, v);
        return true;

        static bool Narrow(string? fixedValue, string? requested, out string? value)
        {
            requested = string.IsNullOrWhiteSpace(requested) ? null : requested.Trim();
            value = fixedValue ?? requested;
            return fixedValue is null || requested is null || string.Equals(fixedValue, requested, StringComparison.Ordinal);
        }
    }
}
