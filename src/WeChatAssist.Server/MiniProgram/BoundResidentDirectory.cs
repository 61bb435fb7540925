using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>
/// The chatbot's view of who a follower is: the resident the follower bound to themself in the mini-program
/// (<c>resident_bindings</c>, relation self), read from the registry. Family members bound by a household head are
/// not "me" and are not used for personal answers.
/// </summary>
internal sealed class BoundResidentDirectory(
    BindingStore bindings,
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

        var self = (await bindings.ListAsync(settings.AppId, openId, unionId: null, cancellationToken))
            .FirstOrDefault(b => b.Relation == BindingRelation.Self);
        if (self is null)
        {
            return null;
        }

        var resident = (await registry.GetAsync([self.ResidentId], cancellationToken)).SingleOrDefault();
        if (resident is null || !string.Equals(resident.PolicyId, policyId, StringComparison.Ordinal))
        {
            return null;
        }

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
