using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat;

/// <summary>Chooses the policy an account answers from on a business date.</summary>
internal static class ChatPolicies
{
    /// <summary>The account's policy, or the same county's later benefit year once its collection has opened;
    /// null when <paramref name="policyId"/> is not loaded.</summary>
    public static InsurancePolicy? Resolve(PolicyCatalog catalog, string policyId, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog.Find(policyId) is not { } configured)
        {
            return null;
        }

        var best = configured;
        foreach (var candidate in catalog.All)
        {
            if (candidate.Name == configured.Name && candidate.BenefitYear > best.BenefitYear && candidate.CollectionWindow.From <= today)
            {
                best = candidate;
            }
        }

        return best;
    }
}
