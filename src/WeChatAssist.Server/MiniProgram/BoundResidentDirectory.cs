using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>
/// The chatbot's view of who a follower is: the resident the WeChat user bound to themself in the mini-program
/// (<c>resident_bindings</c>, relation self), read from the registry, with the family members they bound as its
/// household. On the mini-program the binding's own OpenID finds them; on the official account only the unionid does
/// (the follower's, from <c>wechat_followers</c>, equal to the one stored with the mini-program binding), so a follower
/// without a unionid is not bound here whatever they did in the mini-program. Family members are never "me".
/// </summary>
internal sealed class BoundResidentDirectory(
    BindingStore bindings,
    FollowerIdentities followers,
    ResidentRegistry registry,
    PersonalDataProtector protector,
    PolicyCatalog policies,
    IOptionsMonitor<WeChatOptions> weChat) : IResidentDirectory
{
    public async ValueTask<BoundResident?> FindAsync(string account, string openId, string policyId, CancellationToken cancellationToken)
    {
        // Without personal-data keys nothing can be bound or read; the chatbot then answers in general terms.
        if (!protector.IsConfigured
            || !weChat.CurrentValue.Accounts.TryGetValue(account, out var settings)
            || policies.Find(policyId) is not { } policy)
        {
            return null;
        }

        var unionId = settings.Kind == WeChatAccountKind.OfficialAccount
            ? (await followers.FindOrFetchAsync(account, openId, cancellationToken))?.UnionId
            : null;
        var bound = await bindings.ListAsync(settings.AppId, openId, unionId, cancellationToken);
        var self = bound.FirstOrDefault(b => b.Relation == BindingRelation.Self);
        if (self is null)
        {
            return null;
        }

        var family = bound.Where(b => b.Relation == BindingRelation.Family && b.ResidentId != self.ResidentId).Select(b => b.ResidentId).ToList();
        var residents = (await registry.GetAsync([self.ResidentId, .. family], cancellationToken)).ToDictionary(r => r.Id);
        if (!residents.TryGetValue(self.ResidentId, out var resident) || !string.Equals(resident.PolicyId, policyId, StringComparison.Ordinal))
        {
            return null;
        }

        return Person(resident, policy) with
        {
            Household = [.. family.Select(id => residents.GetValueOrDefault(id)).OfType<Resident>().Where(r => r.PolicyId == policyId).Select(r => Person(r, policy))],
        };
    }

    private static BoundResident Person(Resident resident, InsurancePolicy policy)
    {
        var paidThisYear = resident.PaidYear == policy.BenefitYear;
        return new BoundResident(
            PersonalDataMask.Name(resident.Name),
            resident.CategoryCodes,
            resident.BirthDate,
            StudentKind.None,
            // The registry keeps the latest year paid: last year's payment is known only while this year's is not.
            PaidLastYear: resident.PaidYear == policy.BenefitYear - 1 ? true : null,
            PaidOn: paidThisYear ? resident.PaidOn : null,
            PaidFen: null);
    }
}
