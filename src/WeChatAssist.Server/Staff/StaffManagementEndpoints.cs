using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Staff;

/// <summary>A staff account as managers see it (never its password hash).</summary>
internal sealed record StaffAccountResponse(long Id, string UserName, string Role, string? PolicyId, string? Township, string? Village, bool Disabled, DateTimeOffset? LockedUntil);

/// <summary><c>POST /api/v1/admin/staff</c>.</summary>
internal sealed record CreateStaffRequest(string? UserName, string? Password, string? Role, string? PolicyId, string? Township, string? Village);

/// <summary><c>POST /api/v1/admin/staff/{id}/password</c>.</summary>
internal sealed record ResetPasswordRequest(string? Password);

/// <summary><c>/api/v1/admin/staff</c>: bureau staff manage every account (of their county, when bound to one); township
/// staff manage the village cadres of their own township. Every change is audited in <c>staff_audit_log</c>.</summary>
internal static class StaffManagementEndpoints
{
    public const string CreateAction = "staff.create";
    public const string DisableAction = "staff.disable";
    public const string EnableAction = "staff.enable";
    public const string PasswordAction = "staff.password";
    public const string UnlockAction = "staff.unlock";

    /// <summary>Shortest password a manager may set (the bootstrap password has the same floor).</summary>
    public const int MinPasswordLength = 10;

    public static IEndpointRouteBuilder MapStaffManagement(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/admin/staff").WithTags("Admin").RequireAuthorization(StaffClaims.TownshipPolicy);
        group.MapGet("", List).WithName("AdminListStaff");
        group.MapPost("", Create).WithName("AdminCreateStaff");
        group.MapPost("/{id:long}/disable", Disable).WithName("AdminDisableStaff");
        group.MapPost("/{id:long}/enable", Enable).WithName("AdminEnableStaff");
        group.MapPost("/{id:long}/password", ResetPassword).WithName("AdminResetStaffPassword");
        group.MapPost("/{id:long}/unlock", Unlock).WithName("AdminUnlockStaff");
        return endpoints;
    }

    internal static async Task<Ok<StaffAccountResponse[]>> List(ClaimsPrincipal user, StaffStore store, CancellationToken cancellationToken)
    {
        var manager = Manager.From(user);
        var users = manager.Role == StaffRole.Bureau
            ? await store.ListAsync(null, manager.PolicyId, null, cancellationToken)
            : await store.ListAsync(StaffRole.Village, manager.PolicyId, manager.Township, cancellationToken);
        return TypedResults.Ok(users.Where(manager.CanManage).Select(Describe).ToArray());
    }

    internal static async Task<Results<Created<StaffAccountResponse>, ProblemHttpResult>> Create(
        CreateStaffRequest request,
        ClaimsPrincipal user,
        StaffStore store,
        AuditLog audit,
        PolicyCatalog policies,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        var manager = Manager.From(user);
        var userName = request.UserName?.Trim() ?? "";
        if (userName.Length is < 3 or > 64 || userName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "staffUserNameInvalid");
        }

        if (request.Password is not { Length: >= MinPasswordLength })
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "staffPasswordWeak", ("min", MinPasswordLength));
        }

        if (StaffClaims.Parse(request.Role) is not { } role)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "staffRoleInvalid");
        }

        // A manager's own county and township are fixed for the accounts they create.
        var policyId = manager.PolicyId ?? Trimmed(request.PolicyId);
        var township = manager.Role == StaffRole.Township ? manager.Township : Trimmed(request.Township);
        var village = role == StaffRole.Village ? Trimmed(request.Village) : null;
        if (role == StaffRole.Bureau)
        {
            township = null;
        }

        if ((policyId is not null && policies.Find(policyId) is null)
            || (role != StaffRole.Bureau && (policyId is null || township is null))
            || (role == StaffRole.Village && village is null))
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "staffScopeInvalid");
        }

        var account = new StaffUser(0, userName, "", role, policyId, township, village, 0, null);
        if (!manager.CanManage(account))
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "staffForbidden");
        }

        if (await store.CreateAsync(userName, request.Password, role, policyId, township, village, cancellationToken) is not { } id)
        {
            return texts.Problem(StatusCodes.Status409Conflict, "staffUserNameTaken");
        }

        await audit.RecordStaffActionAsync(manager.UserName, CreateAction, userName, cancellationToken);
        return TypedResults.Created($"/api/v1/admin/staff/{id}", Describe(account with { Id = id }));
    }

    internal static Task<Results<Ok<StaffAccountResponse>, ProblemHttpResult>> Disable(long id, ClaimsPrincipal user, StaffStore store, AuditLog audit, [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, store, audit, texts, DisableAction, (s, ct) => s.SetDisabledAsync(id, disabled: true, ct), cancellationToken);

    internal static Task<Results<Ok<StaffAccountResponse>, ProblemHttpResult>> Enable(long id, ClaimsPrincipal user, StaffStore store, AuditLog audit, [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, store, audit, texts, EnableAction, (s, ct) => s.SetDisabledAsync(id, disabled: false, ct), cancellationToken);

    internal static Task<Results<Ok<StaffAccountResponse>, ProblemHttpResult>> Unlock(long id, ClaimsPrincipal user, StaffStore store, AuditLog audit, [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts, CancellationToken cancellationToken) =>
        ChangeAsync(id, user, store, audit, texts, UnlockAction, (s, ct) => s.UnlockAsync(id, ct), cancellationToken);

    internal static async Task<Results<Ok<StaffAccountResponse>, ProblemHttpResult>> ResetPassword(
        long id,
        ResetPasswordRequest request,
        ClaimsPrincipal user,
        StaffStore store,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (request.Password is not { Length: >= MinPasswordLength } password)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "staffPasswordWeak", ("min", MinPasswordLength));
        }

        return await ChangeAsync(id, user, store, audit, texts, PasswordAction, (s, ct) => s.ResetPasswordAsync(id, password, ct), cancellationToken);
    }

    private static async Task<Results<Ok<StaffAccountResponse>, ProblemHttpResult>> ChangeAsync(
        long id,
        ClaimsPrincipal user,
        StaffStore store,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        string action,
        Func<StaffStore, CancellationToken, Task<bool>> change,
        CancellationToken cancellationToken)
    {
        var manager = Manager.From(user);
        var target = await store.GetAsync(id, cancellationToken);
        if (target is null || !manager.CanManage(target))
        {
            return texts.Problem(StatusCodes.Status404NotFound, "staffNotFound");
        }

        // Nobody disables themself, so the last administrator cannot lock everyone out by mistake.
        if (action == DisableAction && string.Equals(target.UserName, manager.UserName, StringComparison.Ordinal))
        {
            return texts.Problem(StatusCodes.Status409Conflict, "staffSelfDisable");
        }

        await change(store, cancellationToken);
        await audit.RecordStaffActionAsync(manager.UserName, action, target.UserName, cancellationToken);
        return TypedResults.Ok(Describe((await store.GetAsync(id, cancellationToken))!));
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static StaffAccountResponse Describe(StaffUser u) =>
        new(u.Id, u.UserName, StaffClaims.Name(u.Role), u.PolicyId, u.Township, u.Village, u.DisabledAt is not null, u.LockedUntil);

    /// <summary>The signed-in manager and what they may manage.</summary>
    private sealed record Manager(string UserName, StaffRole Role, string? PolicyId, string? Township)
    {
        public static Manager From(ClaimsPrincipal user) => new(
            user.Identity?.Name ?? "",
            StaffClaims.Parse(user.FindFirstValue(ClaimTypes.Role)) ?? StaffRole.Village,
            user.FindFirstValue(StaffClaims.PolicyId),
            user.FindFirstValue(StaffClaims.Township));

        public bool CanManage(StaffUser account) => Role switch
        {
            StaffRole.Bureau => PolicyId is null || string.Equals(PolicyId, account.PolicyId, StringComparison.Ordinal),
            StaffRole.Township => account.Role == StaffRole.Village
                && Township is not null
                && string.Equals(PolicyId, account.PolicyId, StringComparison.Ordinal)
                && string.Equals(Township, account.Township, StringComparison.Ordinal),
            _ => false,
        };
    }
}
