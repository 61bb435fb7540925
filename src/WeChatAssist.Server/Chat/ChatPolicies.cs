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
        // The engine's rule, shared with quotes' callers, landing pages and the mini-program.
        return catalog.Current(policyId, today);
    }
}
