using System.Text.Json.Serialization;

namespace WeChatAssist.Policy;

/// <summary>The kind of answer a quote gives.</summary>
public enum QuoteOutcome
{
    /// <summary>Amounts and dates are known.</summary>
    Ok = 0,

    /// <summary>The notice does not state what the resident asks; see <see cref="PolicyQuote.DeferringClause"/> and contacts.</summary>
    NotStated,

    /// <summary>A category the resident named does not exist in this notice.</summary>
    CategoryNotInCounty,

    /// <summary>The tier is not offered for this person's category (or policy).</summary>
    TierNotOffered,

    /// <summary>The date is after every payment window for this benefit year.</summary>
    OutsideWindow,

    /// <summary>A fact the rule needs is missing; see <see cref="PolicyQuote.Missing"/>.</summary>
    MissingFact,

    /// <summary>Payment is possible but the benefit would start after the benefit year ends.</summary>
    NoCoverRemaining,

    /// <summary>The resident is already covered and need not pay (college transition year).</summary>
    AlreadyCovered,

    /// <summary>
    /// The notice is silent but a national layer it inherits states the rule (the waiting period of 国办发〔2024〕38号 for
    /// a late payer); the explanation cites the national clauses, <see cref="PolicyQuote.DeferringClause"/> is the
    /// national clause leaving the concrete standard to local rules, so amounts and cover start stay with the contacts.
    /// </summary>
    NationalRule,
}

/// <summary>A fact the engine needs but was not given.</summary>
public enum MissingFact
{
    /// <summary>Nothing missing.</summary>
    None = 0,

    /// <summary>Which tier (一档/二档) the resident chooses.</summary>
    Tier,

    /// <summary>Birth date (age conditions, newborns).</summary>
    BirthDate,

    /// <summary>Whether the resident was insured and paid last year.</summary>
    PaidLastYear,

    /// <summary>Whether a monitored person's risk is cleared.</summary>
    MonitoringRiskCleared,
}

/// <summary>Parts of an answer the notice leaves unstated even though the amount is known.</summary>
[Flags]
public enum QuoteGaps
{
    /// <summary>Nothing unstated.</summary>
    None = 0,

    /// <summary>The benefit start date is not stated (e.g. 001 newborns).</summary>
    BenefitStart = 1,

    /// <summary>No final payment date is stated.</summary>
    Deadline = 2,

    /// <summary>The funder of the subsidy is not stated (003 因病致贫重病患者).</summary>
    Funder = 4,
}

/// <summary>The figures for one tier.</summary>
public sealed record TierOption(int Tier, QuoteOutcome Outcome, long? IndividualDueFen, long? SubsidyFen, SubsidyMode SubsidyMode, string? AppliedCategory);

/// <summary>The engine's answer: amounts, dates, outcome and cited explanation steps.</summary>
public sealed class PolicyQuote
{
    private IReadOnlyList<Citation>? _citations;

    internal PolicyQuote() { }

    /// <summary>Policy the quote comes from (not serialised; see <see cref="PolicyId"/>).</summary>
    [JsonIgnore]
    public required InsurancePolicy Policy { get; init; }

    /// <summary>Id of the policy the quote comes from.</summary>
    public string PolicyId => Policy.Id;

    /// <summary>The payment date quoted for.</summary>
    public DateOnly PaidOn { get; init; }

    /// <summary>Outcome kind.</summary>
    public QuoteOutcome Outcome { get; init; }

    /// <summary>Tier the figures are for, or null when not chosen.</summary>
    public int? Tier { get; init; }

    /// <summary>What the resident pays now, in fen (null when not known).</summary>
    public long? IndividualDueFen { get; init; }

    /// <summary>Subsidy in fen (null when not known; 0 when none).</summary>
    public long? SubsidyFen { get; init; }

    /// <summary>Who funds the subsidy, as the notice words it; null when none or not stated.</summary>
    public string? SubsidyFunder { get; init; }

    /// <summary>How the subsidy reaches the resident.</summary>
    public SubsidyMode SubsidyMode { get; init; }

    /// <summary>Whether the subsidy covers the whole individual contribution (the notices' 全额资助): nothing is paid
    /// (direct), or what is paid first is all refunded (reimbursed).</summary>
    public bool SubsidyCoversAll => SubsidyFen is > 0 and var subsidy && IndividualDueFen is { } due
        && (SubsidyMode == SubsidyMode.Reimbursed ? due <= subsidy : due == 0);

    /// <summary>The fiscal subsidy the resident pays himself (late payers), in fen; included in <see cref="IndividualDueFen"/>.</summary>
    public long FiscalSubsidyPaidByResidentFen { get; init; }

    /// <summary>Code of the category whose subsidy applies, or null.</summary>
    public string? AppliedCategory { get; init; }

    /// <summary>Whether payment is taken on <see cref="PaidOn"/>.</summary>
    public bool Payable { get; init; }

    /// <summary>The next day payment is taken (the date itself when payable), or null when none remains.</summary>
    public DateOnly? NextPayableDate { get; init; }

    /// <summary>The last payment date that applies to this person, or null (see <see cref="Gaps"/>).</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary>First day of cover, or null.</summary>
    public DateOnly? BenefitStart { get; init; }

    /// <summary>Last day of cover, or null.</summary>
    public DateOnly? BenefitEnd { get; init; }

    /// <summary>Days between payment and benefit start, both excluded; null when not applicable.</summary>
    public int? WaitingDays { get; init; }

    /// <summary>The missing fact when <see cref="Outcome"/> is <see cref="QuoteOutcome.MissingFact"/>.</summary>
    public MissingFact Missing { get; init; }

    /// <summary>The clause that defers or is silent, for not-stated and refusal outcomes.</summary>
    public Citation? DeferringClause { get; init; }

    /// <summary>Parts of the answer the notice does not state.</summary>
    public QuoteGaps Gaps { get; init; }

    /// <summary>Figures per tier the person may choose.</summary>
    public required IReadOnlyList<TierOption> Options { get; init; }

    /// <summary>Explanation steps, each with its citation.</summary>
    public required IReadOnlyList<ExplanationStep> Explanation { get; init; }

    /// <summary>Whom to ask: the offices and phone numbers the notice names.</summary>
    public IReadOnlyList<PolicyContact> Contacts => Policy.Contacts;

    /// <summary>Distinct citations of the explanation, in order.</summary>
    public IReadOnlyList<Citation> Citations => _citations ??= Explanation.Select(s => s.Citation).Distinct().ToList();
}
