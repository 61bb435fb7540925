namespace WeChatAssist.Policy;

/// <summary>How a benefit start date is derived from the payment date.</summary>
public enum BenefitStartRule
{
    /// <summary>The first day of the benefit period (payment within the collection window).</summary>
    PeriodStart = 0,

    /// <summary>次月1日起: the first day of the month after payment.</summary>
    NextMonthFirst,

    /// <summary>满N日后: after a waiting period counted in days.</summary>
    AfterWaitingDays,

    /// <summary>满N个月后: after a waiting period counted in calendar months.</summary>
    AfterWaitingMonths,
}

/// <summary>What happens to a hardship subsidy under a late regime.</summary>
public enum LateSubsidyTreatment
{
    /// <summary>Subsidies apply as in the collection window.</summary>
    Keep = 0,

    /// <summary>The notice does not say whether subsidies still apply.</summary>
    NotStated,

    /// <summary>The resident pays the full amount himself (004 五、(二)).</summary>
    Forfeited,
}

/// <summary>A counted duration with its counting rule (POLICY_NOTES "Counting days").</summary>
public sealed record CountedDuration(int Amount, DurationUnit Unit, bool CountFromNextDay)
{
    /// <summary>The first day after the duration has run from <paramref name="from"/>.</summary>
    public DateOnly FirstDayAfter(DateOnly from)
    {
        var offset = CountFromNextDay ? 1 : 0;
        return Unit == DurationUnit.Days
            ? from.AddDays(Amount + offset)
            : from.AddMonths(Amount).AddDays(offset);
    }

    /// <summary>The last day of the duration counted from <paramref name="from"/>.</summary>
    public DateOnly LastDay(DateOnly from) => FirstDayAfter(from).AddDays(-1);
}

/// <summary>Unit of a counted duration.</summary>
public enum DurationUnit
{
    /// <summary>Calendar days.</summary>
    Days = 0,

    /// <summary>Calendar months; a month without the corresponding day ends on its last day.</summary>
    Months,
}

/// <summary>A late-payment regime: payments within its dates follow its pricing and benefit-start rule.</summary>
public sealed class LateRegime
{
    internal LateRegime() { }

    /// <summary>Regime id inside the policy file.</summary>
    public required string Id { get; init; }

    /// <summary>Payment dates the regime covers.</summary>
    public DateRange Period { get; init; }

    /// <summary>How the benefit start is derived.</summary>
    public BenefitStartRule BenefitStart { get; init; }

    /// <summary>The waiting period, for the waiting rules.</summary>
    public CountedDuration? Waiting { get; init; }

    /// <summary>True when the resident also pays the year's fiscal subsidy.</summary>
    public bool ResidentPaysFiscalSubsidy { get; init; }

    /// <summary>A stated minimum payment in fen (003: 1020元), or null.</summary>
    public long? MinimumFen { get; init; }

    /// <summary>What happens to hardship subsidies.</summary>
    public LateSubsidyTreatment Subsidies { get; init; }

    /// <summary>True when only residents insured and paid last year may pay late (004).</summary>
    public bool RequiresPaidLastYear { get; init; }

    /// <summary>True when college students' late price is stated (otherwise a late college quote is not stated).</summary>
    public bool CollegeRateStated { get; init; }

    /// <summary>The last payment date that applies to this person under this regime, or null when the notice states none.</summary>
    public DateOnly? Deadline { get; init; }

    /// <summary>Clauses establishing the regime.</summary>
    public required IReadOnlyList<PolicyClause> Cites { get; init; }
}

/// <summary>The newborn enrolment rule (001 二、(三)).</summary>
public sealed class NewbornRule
{
    internal NewbornRule() { }

    /// <summary>Births the rule covers.</summary>
    public DateRange BornWithin { get; init; }

    /// <summary>Enrolment window counted from the birth date.</summary>
    public required CountedDuration Window { get; init; }

    /// <summary>Clauses establishing the rule.</summary>
    public required IReadOnlyList<PolicyClause> Cites { get; init; }
}

/// <summary>College-student rules (natural year since 2023, freshmen, the transition year).</summary>
public sealed class CollegeRule
{
    internal CollegeRule() { }

    /// <summary>Clauses on the natural-year rule and freshmen (cover from the day after payment).</summary>
    public required IReadOnlyList<PolicyClause> FreshmanCites { get; init; }

    /// <summary>Cover of students who paid the transition academic year.</summary>
    public DateRange TransitionCover { get; init; }

    /// <summary>Clauses on the transition.</summary>
    public required IReadOnlyList<PolicyClause> TransitionCites { get; init; }
}

/// <summary>A contact: an office, with phone number when the notice gives one.</summary>
public sealed record PolicyContact(string Name, string? Phone, string Role, IReadOnlyList<PolicyClause> Cites);

/// <summary>A payment channel as the notice describes it.</summary>
public sealed record PaymentChannel(string Name, string Description, IReadOnlyList<PolicyClause> Cites);

/// <summary>One township row of a target table.</summary>
public sealed record TownshipTarget(int? Sequence, string Name, long Count);

/// <summary>A target table (任务表) with its stated total, checked by the loader.</summary>
public sealed record TargetTable(string Title, string Unit, IReadOnlyList<TownshipTarget> Rows, long Total, IReadOnlyList<PolicyClause> Cites);

/// <summary>A coverage-rate target (参保率) for a group by a date.</summary>
public sealed record CoverageTarget(string Group, IReadOnlyList<string> Members, decimal Percent, DateOnly? By, IReadOnlyList<PolicyClause> Cites);

/// <summary>A reporting rhythm entry (004: weekly to end of October, daily from 1 November).</summary>
public sealed record ReportingRhythm(DateOnly? From, DateOnly? To, string Frequency, IReadOnlyList<PolicyClause> Cites);

/// <summary>A fact from the notice the chatbot may cite (e.g. 004 六、(四) coverage levels).</summary>
public sealed record PolicyFact(string Id, string Text, IReadOnlyList<PolicyClause> Cites);

/// <summary>A dated item stated by the notice (e.g. 资助对象名单截止日).</summary>
public sealed record PolicyDate(string Id, DateOnly Date, string Description, IReadOnlyList<PolicyClause> Cites);
