using System.Collections.Frozen;

namespace WeChatAssist.Policy;

/// <summary>One county (or town) notice for one benefit year, loaded and validated from its YAML file.</summary>
public sealed class InsurancePolicy
{
    private FrozenDictionary<string, SubsidyCategory> _byCode = FrozenDictionary<string, SubsidyCategory>.Empty;
    private FrozenDictionary<string, SubsidyCategory> _byName = FrozenDictionary<string, SubsidyCategory>.Empty;
    private FrozenDictionary<string, PolicyClause> _clauses = FrozenDictionary<string, PolicyClause>.Empty;

    internal InsurancePolicy() { }

    /// <summary>Policy id, e.g. <c>pengshui-2024</c>.</summary>
    public required string Id { get; init; }

    /// <summary>County or town name.</summary>
    public required string Name { get; init; }

    /// <summary>Issuing office.</summary>
    public required string Issuer { get; init; }

    /// <summary>Document number, e.g. 彭水府办发〔2023〕87号; empty when the notice carries none.</summary>
    public required string DocumentNumber { get; init; }

    /// <summary>Title of the notice.</summary>
    public required string Title { get; init; }

    /// <summary>Benefit year (待遇年度) the contributions buy.</summary>
    public int BenefitYear { get; init; }

    /// <summary>The file the policy was loaded from (resource or path).</summary>
    public required string SourceFile { get; init; }

    /// <summary>All clauses, in file order.</summary>
    public required IReadOnlyList<PolicyClause> Clauses { get; init; }

    /// <summary>The year's fiscal subsidy per person in fen.</summary>
    public long FiscalSubsidyFen { get; init; }

    /// <summary>The national layers this notice inherits for its benefit year (国办发〔2024〕38号 from 2025), oldest first.</summary>
    public IReadOnlyList<NationalLayer> National { get; init; } = [];

    /// <summary>National rules the notice declares it overrides (<c>waitingPeriod</c>), with the county clauses that say so.</summary>
    public IReadOnlyList<PolicyClause> NationalOverrideCites { get; init; } = [];

    /// <summary>Whether the notice overrides the national waiting period with its own late-payment rules.</summary>
    public bool OverridesNationalWaitingPeriod { get; init; }

    /// <summary>The national waiting period that applies where the notice is silent, or null.</summary>
    public NationalWaitingPeriod? NationalWaitingPeriod =>
        OverridesNationalWaitingPeriod ? null : National.LastOrDefault(l => l.WaitingPeriod is not null)?.WaitingPeriod;

    /// <summary>The clause a citation points at: the notice's own, or one of the national layers it inherits; null if neither.</summary>
    public PolicyClause? ClauseOf(Citation citation)
    {
        ArgumentNullException.ThrowIfNull(citation);
        return citation.PolicyId == Id
            ? FindClause(citation.ClauseId)
            : National.FirstOrDefault(l => l.Id == citation.PolicyId)?.Clauses.FirstOrDefault(c => c.Id == citation.ClauseId);
    }

    /// <summary>Clauses stating the fiscal subsidy (the notice, or the national standard it defers to).</summary>
    public required IReadOnlyList<PolicyClause> FiscalSubsidyCites { get; init; }

    /// <summary>Contribution tiers.</summary>
    public required IReadOnlyList<ContributionTier> Tiers { get; init; }

    /// <summary>Collection window (集中征缴期).</summary>
    public DateRange CollectionWindow { get; init; }

    /// <summary>Clauses setting the window.</summary>
    public required IReadOnlyList<PolicyClause> CollectionWindowCites { get; init; }

    /// <summary>Benefit period for payments within the window.</summary>
    public DateRange BenefitPeriod { get; init; }

    /// <summary>Clauses setting the benefit period.</summary>
    public required IReadOnlyList<PolicyClause> BenefitPeriodCites { get; init; }

    /// <summary>First day of every month on which no payment is taken (004: 26), or null.</summary>
    public int? NoPaymentFromDay { get; init; }

    /// <summary>Clauses of that rule.</summary>
    public required IReadOnlyList<PolicyClause> NoPaymentCites { get; init; }

    /// <summary>Late-payment regimes in date order.</summary>
    public required IReadOnlyList<LateRegime> LateRegimes { get; init; }

    /// <summary>Clauses showing the notice is silent about payment after the window (002), or empty.</summary>
    public required IReadOnlyList<PolicyClause> LateNotStatedCites { get; init; }

    /// <summary>Newborn rule, or null.</summary>
    public NewbornRule? Newborn { get; init; }

    /// <summary>College-student rule, or null.</summary>
    public CollegeRule? College { get; init; }

    /// <summary>Clauses about school students (在校学生), or empty.</summary>
    public required IReadOnlyList<PolicyClause> SchoolCites { get; init; }

    /// <summary>Categories in file order.</summary>
    public required IReadOnlyList<SubsidyCategory> Categories { get; init; }

    /// <summary>Declared precedence among categories (first wins a tie).</summary>
    public required IReadOnlyList<string> Precedence { get; init; }

    /// <summary>Clauses listing the subsidised groups (cited when a category does not exist here).</summary>
    public required IReadOnlyList<PolicyClause> CategoryListCites { get; init; }

    /// <summary>Offices and phone numbers the notice names.</summary>
    public required IReadOnlyList<PolicyContact> Contacts { get; init; }

    /// <summary>Payment channels; empty when the notice does not state them.</summary>
    public required IReadOnlyList<PaymentChannel> PaymentChannels { get; init; }

    /// <summary>False when the notice names no payment channel (003): callers must say so rather than list another county's.</summary>
    public bool PaymentChannelsStated => PaymentChannels.Count > 0;

    /// <summary>Township target tables.</summary>
    public required IReadOnlyList<TargetTable> Targets { get; init; }

    /// <summary>Coverage-rate targets.</summary>
    public required IReadOnlyList<CoverageTarget> CoverageTargets { get; init; }

    /// <summary>Reporting rhythm.</summary>
    public required IReadOnlyList<ReportingRhythm> Reporting { get; init; }

    /// <summary>Other facts the chatbot may cite.</summary>
    public required IReadOnlyList<PolicyFact> Facts { get; init; }

    /// <summary>Other dates the notice states.</summary>
    public required IReadOnlyList<PolicyDate> Dates { get; init; }

    /// <summary>Looks up a clause by id.</summary>
    public PolicyClause? FindClause(string clauseId) => _clauses.GetValueOrDefault(clauseId);

    /// <summary>Looks up a category by stable code.</summary>
    public SubsidyCategory? FindCategoryByCode(string code) => _byCode.GetValueOrDefault(code);

    /// <summary>
    /// Looks up a category by code, by the notice's name (with or without its parenthesised part,
    /// full- or half-width parentheses, spacing ignored) or by an alias the notice itself uses.
    /// </summary>
    public SubsidyCategory? FindCategory(string codeOrName)
    {
        ArgumentNullException.ThrowIfNull(codeOrName);
        var byCode = _byCode.GetValueOrDefault(codeOrName.Trim());
        if (byCode is not null)
        {
            return byCode;
        }

        var full = CategoryNameKey.Normalize(codeOrName);
        return _byName.GetValueOrDefault(full) ?? _byName.GetValueOrDefault(CategoryNameKey.StripParentheses(full));
    }

    /// <summary>Quotes what a resident pays and gets when paying on <paramref name="paidOn"/>.</summary>
    public PolicyQuote Quote(ResidentFacts facts, DateOnly paidOn) => QuoteCalculator.Quote(this, facts, paidOn);

    /// <summary>True when payment is taken on <paramref name="date"/> under the payable-days calendar (window or late regime).</summary>
    public bool IsPayable(DateOnly date) => QuoteCalculator.IsPayableDay(this, date);

    internal void Index(
        FrozenDictionary<string, SubsidyCategory> byCode,
        FrozenDictionary<string, SubsidyCategory> byName,
        FrozenDictionary<string, PolicyClause> clauses)
    {
        _byCode = byCode;
        _byName = byName;
        _clauses = clauses;
    }

    internal int PrecedenceOf(string code)
    {
        for (var i = 0; i < Precedence.Count; i++)
        {
            if (string.Equals(Precedence[i], code, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return int.MaxValue;
    }
}
