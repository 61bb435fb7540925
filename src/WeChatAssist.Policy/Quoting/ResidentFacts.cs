namespace WeChatAssist.Policy;

/// <summary>Whether the resident is a student, and which kind.</summary>
public enum StudentKind
{
    /// <summary>Not a student (or not stated).</summary>
    None = 0,

    /// <summary>中小学/在校学生: enrols like other residents.</summary>
    School,

    /// <summary>College student (在渝高校大学生 where the notice defines it).</summary>
    College,
}

/// <summary>The facts the engine needs about a resident; a missing fact a rule needs yields <see cref="QuoteOutcome.MissingFact"/>.</summary>
public sealed record ResidentFacts
{
    /// <summary>Category codes (or the notice's names, see <see cref="InsurancePolicy.FindCategory"/>); empty for an ordinary resident.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Chosen tier (1 or 2), or null when not chosen yet.</summary>
    public int? Tier { get; init; }

    /// <summary>Birth date, or null when unknown.</summary>
    public DateOnly? BirthDate { get; init; }

    /// <summary>A newborn (新生儿) whose birth date may not be known yet; the birth date itself implies it.</summary>
    public bool? Newborn { get; init; }

    /// <summary>Student kind.</summary>
    public StudentKind Student { get; init; }

    /// <summary>College freshman enrolling at entry for the next year (新生入学时参加下一年度).</summary>
    public bool? CollegeFreshman { get; init; }

    /// <summary>College student who paid the transition academic year (2023年9月至2024年学年度).</summary>
    public bool? CollegeTransitionPaid { get; init; }

    /// <summary>Insured and paid in the previous year (004's late rule needs it); null when unknown.</summary>
    public bool? PaidLastYear { get; init; }

    /// <summary>For 002 监测对象: true when the monitored risk is cleared (风险已消除); null when unknown.</summary>
    public bool? MonitoringRiskCleared { get; init; }

    /// <summary>An ordinary resident with no special facts.</summary>
    public static ResidentFacts Ordinary { get; } = new();
}
