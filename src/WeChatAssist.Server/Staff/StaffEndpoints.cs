using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Staff;

/// <summary>Login request.</summary>
internal sealed record StaffLoginRequest(string? UserName, string? Password);

/// <summary>Who is signed in and what they may see.</summary>
internal sealed record StaffMeResponse(string UserName, string Role, string? PolicyId, string? Township, string? Village);

/// <summary><c>/api/v1/staff</c>: cookie sign-in with lockout, sign-out, and the signed-in user.</summary>
internal static class StaffEndpoints
{
    public static IEndpointRouteBuilder MapStaffAccounts(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/staff").WithTags("Staff");
        // Login is anonymous, so StaffAntiforgery leaves it alone; the cookie-authenticated calls below need the token.
        group.MapPost("/login", Login).WithName("StaffLogin");
        group.MapAntiforgeryToken();
        group.MapPost("/logout", (Func<HttpContext, Task<NoContent>>)Logout).WithName("StaffLogout").RequireAuthorization(StaffClaims.VillagePolicy);
        group.MapGet("/me", Me).WithName("StaffMe").RequireAuthorization(StaffClaims.VillagePolicy);
        return endpoints;
    }

    internal static async Task<Results<Ok<StaffMeResponse>, ProblemHttpResult>> Login(
        StaffLoginRequest request,
        HttpContext context,
        StaffStore store,
        IOptions<StaffOptions> options,
        TimeProvider clock,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        var user = string.IsNullOrWhiteSpace(request.UserName) ? null : await store.FindAsync(request.UserName.Trim(), cancellationToken);
        if (user is null)
        {
            // Spend the same PBKDF2 work as for a real account, so response time does not reveal which names exist.
            StaffStore.VerifyPassword(StaffStore.DummyUser, request.Password ?? "");
            return texts.Problem(StatusCodes.Status401Unauthorized, "loginFailed");
        }

        if (user.LockedUntil is { } lockedBefore && lockedBefore > clock.GetUtcNow())
        {
            return Locked(lockedBefore);
        }

        if (await store.BeginAttemptAsync(user.Id, cancellationToken) is not { } attempt)
        {
            return Locked(clock.GetUtcNow() + o.LockoutDuration);
        }

        if (attempt > o.MaxFailedLogins)
        {
            // Parallel attempts already used the allowance. Lock here too, so a count left high by an attempt that
            // never finished cannot refuse every later login without a lockout that ends.
            var until = clock.GetUtcNow() + o.LockoutDuration;
            await store.LockAsync(user.Id, until, cancellationToken);
            return Locked(until);
        }

        if (string.IsNullOrEmpty(request.Password) || !StaffStore.VerifyPassword(user, request.Password))
        {
            if (attempt < o.MaxFailedLogins)
            {
                return texts.Problem(StatusCodes.Status401Unauthorized, "loginFailed");
            }

            var lockedUntil = clock.GetUtcNow() + o.LockoutDuration;
            await store.LockAsync(user.Id, lockedUntil, cancellationToken);
            return Locked(lockedUntil);
        }

        // The right password settles the attempt count even for a disabled account, so repeated tries cannot lock it.
        await store.RecordSuccessAsync(user.Id, cancellationToken);
        if (user.DisabledAt is not null)
        {
            // Told only to whoever knows the password, so it reveals nothing to a guesser.
            return texts.Problem(StatusCodes.Status403Forbidden, "loginDisabled");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.UserName),
            new(ClaimTypes.Role, StaffClaims.Name(user.Role)),
            new(StaffClaims.SecurityStamp, user.SecurityStamp),
        };
        AddIfPresent(claims, StaffClaims.PolicyId, user.PolicyId);
        AddIfPresent(claims, StaffClaims.Township, user.Township);
        AddIfPresent(claims, StaffClaims.Village, user.Village);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        return TypedResults.Ok(Describe(principal));

        ProblemHttpResult Locked(DateTimeOffset until) =>
            texts.Problem(StatusCodes.Status423Locked, "loginLocked", ("minutes", Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalMinutes))));
    }

    internal static async Task<NoContent> Logout(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    internal static Ok<StaffMeResponse> Me(ClaimsPrincipal user) => TypedResults.Ok(Describe(user));

    private static StaffMeResponse Describe(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "",
        user.FindFirstValue(ClaimTypes.Role) ?? "",
        user.FindFirstValue(StaffClaims.PolicyId),
        user.FindFirstValue(StaffClaims.Township),
        user.FindFirstValue(StaffClaims.Village));

    private static void AddIfPresent(List<Claim> claims, string type, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            claims.Add(new Claim(type, value));
        }
    }
}
