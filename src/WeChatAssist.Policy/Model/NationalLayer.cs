namespace WeChatAssist.Policy;

/// <summary>
/// A national document whose rules apply to every county from a benefit year on (国办发〔2024〕38号 from 2025). County
/// files inherit it for their benefit year: where the county notice is silent the quote cites the national clause;
/// where both speak and disagree the county file must declare that it overrides, or it does not load.
/// </summary>
public sealed class NationalLayer
{
    internal NationalLayer() { }

    /// <summary>Layer id, e.g. <c>gbf-2024-38</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Issuing office (国务院办公厅).</summary>
    public required string Issuer { get; init; }

    /// <summary>Document number, e.g. 国办发〔2024〕38号.</summary>
    public required string DocumentNumber { get; init; }

    /// <summary>The document's title.</summary>
    public required string Title { get; init; }

    /// <summary>First benefit year the layer applies to.</summary>
    public int FromBenefitYear { get; init; }

    /// <summary>Where the encoded text was read (the document's own page could not be opened).</summary>
    public required IReadOnlyList<NationalSource> Sources { get; init; }

    /// <summary>The clauses encoded, as the sources give them.</summary>
    public required IReadOnlyList<PolicyClause> Clauses { get; init; }

    /// <summary>The waiting period for residents who join outside the collection period or after a break, or null.</summary>
    public NationalWaitingPeriod? WaitingPeriod { get; init; }

    /// <summary>The continuous-participation and zero-claim incentives, or null.</summary>
    public NationalIncentives? Incentives { get; init; }

    /// <summary>The file the layer was loaded from.</summary>
    public required string SourceFile { get; init; }
}

/// <summary>One place the layer's text was read, and what it gave.</summary>
public sealed record NationalSource(string Url, string Gives);

/// <summary>
/// The national waiting period: a fixed part for everyone joining outside the collection period or after a break
/// (newborns and other special groups excepted), a variable part per year of break that paying for missed years
/// reduces, a floor after a long break, and the statement that the concrete standard is set by each province.
/// </summary>
public sealed class NationalWaitingPeriod
{
    internal NationalWaitingPeriod() { }

    /// <summary>Fixed waiting period in months (固定待遇等待期).</summary>
    public int FixedMonths { get; init; }

    /// <summary>Variable waiting months added per year of break (变动待遇等待期), "原则上".</summary>
    public int MonthsPerYearOfBreak { get; init; }

    /// <summary>Variable months removed per extra year paid (缴费修复).</summary>
    public int RepairMonthsPerYearPaid { get; init; }

    /// <summary>Years of continuous break from which the floor applies.</summary>
    public int FloorFromBreakYears { get; init; }

    /// <summary>The least total waiting months after repair for such a break.</summary>
    public int FloorMonths { get; init; }

    /// <summary>Who is excepted (除新生儿等特殊群体外), as the document words it.</summary>
    public required string Exceptions { get; init; }

    /// <summary>Clauses stating the rule.</summary>
    public required IReadOnlyList<PolicyClause> Cites { get; init; }

    /// <summary>Clauses saying that the concrete standard is set locally.</summary>
    public required IReadOnlyList<PolicyClause> LocalStandardCites { get; init; }
}

/// <summary>The incentives for continuous participation and for a year without claims on the fund.</summary>
public sealed class NationalIncentives
{
    internal NationalIncentives() { }

    /// <summary>Years of continuous participation after which each further year raises the 大病保险 maximum.</summary>
    public int ContinuousAfterYears { get; init; }

    /// <summary>The least raise per step, in fen (原则上每次提高限额均不低于1000元).</summary>
    public long MinimumRaiseFen { get; init; }

    /// <summary>The cap on the accumulated raise as a percentage of the original 大病保险 maximum.</summary>
    public decimal CapPercentOfOriginal { get; init; }

    /// <summary>Clauses stating the incentives.</summary>
    public required IReadOnlyList<PolicyClause> Cites { get; init; }
}
