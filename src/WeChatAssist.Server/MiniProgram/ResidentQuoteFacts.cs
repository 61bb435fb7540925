using WeChatAssist.Policy;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>What the registry tells the policy engine about a resident; <c>me</c> and payment start quote from the same facts.</summary>
internal static class ResidentQuoteFacts
{
    public static ResidentFacts For(Resident resident, InsurancePolicy policy) => new()
    {
        Categories = resident.CategoryCodes,
        BirthDate = resident.BirthDate,

        // The registry keeps the latest year paid: last year's payment is known only while this year's is not.
        PaidLastYear = resident.PaidYear == policy.BenefitYear - 1 ? true : null,
    };
}
