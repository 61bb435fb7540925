using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.StaffConsole.Pages;

/// <summary>The village page at <c>/console/village</c>: a cadre sees their own village; township and bureau staff pick one.</summary>
internal sealed class VillageModel(PolicyCatalog policies) : PageModel
{
    public ProgressScope Scope { get; private set; } = new("", null, null);

    public string Title { get; private set; } = "";

    public IActionResult OnGet(string? policyId, string? township, string? village)
    {
        if (!ConsoleEndpoints.TryResolve(User, policies, policyId, township, village, out var scope))
        {
            return Forbid();
        }

        Scope = scope;
        Title = $"{policies.Get(scope.PolicyId).Name} {scope.Township} {scope.Village}";
        return Page();
    }
}
