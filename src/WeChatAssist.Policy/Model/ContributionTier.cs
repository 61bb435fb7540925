namespace WeChatAssist.Policy;

/// <summary>A contribution tier (档次) with its individual contribution in fen.</summary>
public sealed class ContributionTier
{
    internal ContributionTier(int number, long individualFen, long? collegeFen, IReadOnlyList<PolicyClause> cites)
    {
        Number = number;
        IndividualFen = individualFen;
        CollegeFen = collegeFen;
        Cites = cites;
    }

    /// <summary>Tier number: 1 (一档) or 2 (二档).</summary>
    public int Number { get; }

    /// <summary>The ordinary resident's individual contribution, in fen.</summary>
    public long IndividualFen { get; }

    /// <summary>The college-student (在渝高校大学生) contribution in fen, or null when the notice sets none.</summary>
    public long? CollegeFen { get; }

    /// <summary>Clauses that set this tier.</summary>
    public IReadOnlyList<PolicyClause> Cites { get; }
}

/// <summary>A category's subsidy at one tier: subsidy and the remaining individual share, in fen.</summary>
public sealed record CategorySubsidy(int Tier, long SubsidyFen, long IndividualFen);

/// <summary>An age condition on a category (e.g. 六十周岁以上 or 未成年人), evaluated on the payment date.</summary>
public sealed record AgeCondition(int? AtLeast, int? Below, IReadOnlyList<PolicyClause> Cites)
{
    /// <summary>True when a person born on <paramref name="birthDate"/> meets the condition on <paramref name="onDate"/>.</summary>
    public bool IsMet(DateOnly birthDate, DateOnly onDate)
    {
        var age = AgeOn(birthDate, onDate);
        return (AtLeast is { } min && age >= min) || (Below is { } max && age < max);
    }

    /// <summary>Completed years (周岁) on a date.</summary>
    public static int AgeOn(DateOnly birthDate, DateOnly onDate)
    {
        var age = onDate.Year - birthDate.Year;
        if (onDate.Month < birthDate.Month || (onDate.Month == birthDate.Month && onDate.Day < birthDate.Day))
        {
            age--;
        }

        return age;
    }
}

/// <summary>A subsidised (or merely recognised) group of residents, by the notice's own name.</summary>
public sealed class SubsidyCategory
{
    internal SubsidyCategory() { }

    /// <summary>Stable ASCII code, e.g. <c>dibao</c>.</summary>
    public required string Code { get; init; }

    /// <summary>The notice's own name, with its parenthesised part if any.</summary>
    public required string Name { get; init; }

    /// <summary>Other names the notice itself uses for this group.</summary>
    public required IReadOnlyList<string> Aliases { get; init; }

    /// <summary>The department that recognises members (认定部门), when the notice names it.</summary>
    public string? Department { get; init; }

    /// <summary>Who funds the subsidy as the notice words it, or null when the notice does not say.</summary>
    public string? Funder { get; init; }

    /// <summary>Clauses naming the funder.</summary>
    public required IReadOnlyList<PolicyClause> FunderCites { get; init; }

    /// <summary>How the subsidy reaches the resident.</summary>
    public SubsidyMode Mode { get; init; }

    /// <summary>Mode for monitored persons whose risk is cleared (002), or null when the notice draws no such line.</summary>
    public SubsidyMode? ModeWhenRiskCleared { get; init; }

    /// <summary>Clauses stating the mode.</summary>
    public required IReadOnlyList<PolicyClause> ModeCites { get; init; }

    /// <summary>Whether the subsidy is stated, deferred to other documents, or absent.</summary>
    public SubsidyStatus Status { get; init; }

    /// <summary>Subsidy per tier; a tier not listed is not offered to this category.</summary>
    public required IReadOnlyList<CategorySubsidy> Subsidies { get; init; }

    /// <summary>Codes of categories whose members are excluded from this one (004 易返贫致贫人口).</summary>
    public required IReadOnlyList<string> ExcludedBy { get; init; }

    /// <summary>Clauses stating the exclusion.</summary>
    public required IReadOnlyList<PolicyClause> ExclusionCites { get; init; }

    /// <summary>An age condition, or null.</summary>
    public AgeCondition? Age { get; init; }

    /// <summary>Clauses of an explicit exception keeping the subsidy for late payers who would otherwise pay the fiscal subsidy (003 四 过渡期), or empty.</summary>
    public required IReadOnlyList<PolicyClause> LateFiscalExceptionCites { get; init; }

    /// <summary>Who pays the fiscal part under that exception (003: 县财政安排专项资金).</summary>
    public string? LateFiscalExceptionFunder { get; init; }

    /// <summary>Clauses establishing the category and its amounts.</summary>
    public required IReadOnlyList<PolicyClause> Cites { get; init; }

    /// <summary>The subsidy at a tier, or null when the tier is not offered.</summary>
    public CategorySubsidy? AtTier(int tier)
    {
        foreach (var s in Subsidies)
        {
            if (s.Tier == tier)
            {
                return s;
            }
        }

        return null;
    }
}
