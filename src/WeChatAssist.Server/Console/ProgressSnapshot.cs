namespace WeChatAssist.Server.StaffConsole;

/// <summary>Which part of a county a dashboard shows: the whole county, one township, or one village.</summary>
internal sealed record ProgressScope(string PolicyId, string? Township, string? Village)
{
    /// <summary>The SignalR group of exactly this scope.</summary>
    public string Group => Village is not null ? VillageGroup(PolicyId, Township!, Village)
        : Township is not null ? TownshipGroup(PolicyId, Township)
        : CountyGroup(PolicyId);

    public static string CountyGroup(string policyId) => "county:" + policyId;

    public static string TownshipGroup(string policyId, string township) => $"township:{policyId}:{township}";

    public static string VillageGroup(string policyId, string township, string village) => $"village:{policyId}:{township}:{village}";
}

/// <summary>Progress of one area (a township of the county, or a village of a township): residents in the registry,
/// residents paid for the benefit year, and the notice's target where it sets one.</summary>
internal sealed record AreaProgress(string Name, long Registered, long Paid, long? Target)
{
    /// <summary>Paid against the target, or against the registry when the notice sets no target for the area; percent.</summary>
    public decimal? Percent => Target is > 0 ? Math.Round(Paid * 100m / Target.Value, 2)
        : Registered > 0 ? Math.Round(Paid * 100m / Registered, 2) : null;
}

/// <summary>A coverage indicator of the notice (e.g. 003: 95% overall, 100% for the seven low-income groups, 99% for
/// 脱贫人口) computed over the registry's residents of the group.</summary>
/// <param name="Group">The notice's name of the group.</param>
/// <param name="Members">The categories counted, by the notice's names; empty for the overall rate.</param>
/// <param name="Unresolved">Member names the policy file has no category for (counted as nobody; shown to staff).</param>
/// <param name="TargetPercent">The notice's target rate.</param>
/// <param name="By">The date the notice wants it reached by.</param>
/// <param name="Registered">Residents of the group in the registry.</param>
/// <param name="Paid">Of them, paid for the benefit year.</param>
internal sealed record GroupIndicator(string Group, IReadOnlyList<string> Members, IReadOnlyList<string> Unresolved, decimal TargetPercent, DateOnly? By, long Registered, long Paid)
{
    /// <summary>The group's paid share in percent, or null for an empty group.</summary>
    public decimal? Percent => Registered > 0 ? Math.Round(Paid * 100m / Registered, 2) : null;

    /// <summary>True when the share reaches the target.</summary>
    public bool Met => Registered > 0 && Paid * 100m >= TargetPercent * Registered;
}

/// <summary>Payments recorded on one day.</summary>
internal sealed record DayCount(DateOnly Day, long Payments);

/// <summary>Everything a dashboard shows for a scope, computed in one go.</summary>
internal sealed record ProgressSnapshot(
    ProgressScope Scope,
    string County,
    int BenefitYear,
    string? TargetTitle,
    long Registered,
    long Paid,
    long? Target,
    IReadOnlyList<AreaProgress> Areas,
    IReadOnlyList<GroupIndicator> Indicators,
    IReadOnlyList<DayCount> Trend,
    DateTimeOffset At)
{
    /// <summary>Paid against the target (county: the notice's total; township: its row), else against the registry; percent.</summary>
    public decimal? Percent => new AreaProgress("", Registered, Paid, Target).Percent;
}
