using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using WeChatAssist.Policy;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.StaffConsole.Pages;

/// <summary>The bureau's and township's dashboard at <c>/console</c>; village cadres are sent to their village page.</summary>
internal sealed class IndexModel(PolicyCatalog policies) : PageModel
{
    public ProgressScope Scope { get; private set; } = new("", null, null);

    public bool PolicyFixed { get; private set; }

    public bool TownshipFixed { get; private set; }

    public IReadOnlyList<InsurancePolicy> Policies => [.. policies.All.OrderBy(p => p.Id, StringComparer.Ordinal)];

    public IReadOnlyList<string> Townships { get; private set; } = [];

    public string Title { get; private set; } = "";

    public IActionResult OnGet(string? policyId, string? township)
    {
        if (User.IsInRole("village"))
        {
            return RedirectToPage("/Village");
        }

        if (!ConsoleEndpoints.TryResolve(User, policies, policyId, township, null, out var scope))
        {
            return Forbid();
        }

        Scope = scope;
        PolicyFixed = User.HasClaim(c => c.Type == StaffClaims.PolicyId);
        TownshipFixed = User.IsInRole("township");
        var policy = policies.Get(scope.PolicyId);
        Townships = policy.Targets.Count > 0 ? [.. policy.Targets[0].Rows.Select(r => r.Name)] : [];
        Title = policy.Name + (scope.Township is null ? "" : " " + scope.Township);
        return Page();
    }
}
