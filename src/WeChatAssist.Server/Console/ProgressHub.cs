using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>The SignalR hub at <c>/hubs/progress</c>: a dashboard watches one scope and hears <c>progress</c> when
/// payments land in it.</summary>
[Authorize(Policy = StaffClaims.VillagePolicy)]
internal sealed class ProgressHub : Hub
{
    /// <summary>Joins the group of a scope the caller may see; false when it is outside their account's scope.</summary>
    public async Task<bool> Watch(string? policyId, string? township, string? village)
    {
        if (Context.User is null || !Staff.AdminResidentEndpoints.TryScope(Context.User, policyId, township, village, out var scope) || scope.PolicyId is null)
        {
            return false;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, new ProgressScope(scope.PolicyId, scope.Township, scope.Township is null ? null : scope.Village).Group);
        return true;
    }
}

/// <summary>What a dashboard hears: payments just recorded in an area of its scope (all empty after a lost
/// notification connection came back: refetch whatever you show).</summary>
internal sealed record ProgressChanged(string PolicyId, string Township, string Village, long Payments);
