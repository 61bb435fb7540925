using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>A resident of the cadre's list who has not paid for the benefit year, masked (name and partial ID number);
/// categories by the notice's names.</summary>
internal sealed record UnpaidResident(long Id, string Name, string IdNumber, IReadOnlyList<string> Categories, int? PaidYear);

/// <summary>Reads a village's unpaid residents from the registry, decrypted only to mask.</summary>
internal sealed class UnpaidResidents(ResidentRegistry registry, WeChatAssist.Policy.PolicyCatalog policies)
{
    /// <summary>At most this many rows per read; a village rarely has more unpaid residents than this.</summary>
    public const int Limit = 2000;

    public async Task<IReadOnlyList<UnpaidResident>> ListAsync(ProgressScope scope, int benefitYear, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (scope.Township is null || scope.Village is null)
        {
            // The list is a village's; a wider scope has none.
            return [];
        }

        var policy = policies.Find(scope.PolicyId);
        var residents = await registry.ListUnpaidAsync(scope.PolicyId, scope.Township, scope.Village, benefitYear, Limit, cancellationToken);
        return [.. residents.Select(r => new UnpaidResident(
            r.Id,
            PersonalDataMask.Name(r.Name),
            PersonalDataMask.IdNumber(r.IdNumber),
            [.. r.CategoryCodes.Select(c => policy?.FindCategoryByCode(c)?.Name ?? c)],
            r.PaidYear))];
    }
}
