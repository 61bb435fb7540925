using System.Security.Claims;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>The backfill started now rather than at night.</summary>
/// <param name="JobId">The Hangfire job (see the jobs dashboard).</param>
/// <param name="PolicyId">The county whose official account is backfilled; null: every official account.</param>
internal sealed record FollowerBackfillStarted(string JobId, string? PolicyId);

/// <summary><c>POST /api/v1/admin/followers/backfill</c>: bureau staff start the followers' unionid backfill
/// (<see cref="FollowerBackfillJob"/>) now, e.g. right after binding the official account and the mini-program to one
/// open-platform account. It runs as a Hangfire job; a county's bureau backfills its own county's account only.</summary>
internal static class FollowerBackfillEndpoints
{
    public static IEndpointRouteBuilder MapFollowerBackfill(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/v1/admin/followers/backfill", Start)
            .WithTags("Admin").WithName("FollowerBackfill").RequireAuthorization(StaffClaims.BureauPolicy);
        return endpoints;
    }

    internal static Accepted<FollowerBackfillStarted> Start(ClaimsPrincipal user, IBackgroundJobClient jobs)
    {
        var policyId = user.FindFirstValue(StaffClaims.PolicyId);
        var id = jobs.Enqueue<FollowerBackfillJob>(job => job.RunForAsync(policyId, CancellationToken.None));
        return TypedResults.Accepted((string?)null, new FollowerBackfillStarted(id, policyId));
    }
}
