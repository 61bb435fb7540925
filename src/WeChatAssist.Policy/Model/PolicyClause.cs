namespace WeChatAssist.Policy;

/// <summary>One clause of a notice (or a national standard the notice defers to), citable by id.</summary>
public sealed class PolicyClause
{
    internal PolicyClause(string policyId, string id, string numbering, string text, string documentNumber)
    {
        Id = id;
        Numbering = numbering;
        Text = text;
        Citation = new Citation(policyId, id, numbering, documentNumber);
    }

    /// <summary>Stable clause id inside the policy file, e.g. <c>s2-4</c>.</summary>
    public string Id { get; }

    /// <summary>The notice's own numbering, e.g. <c>二、(四)</c> or <c>附件2</c>.</summary>
    public string Numbering { get; }

    /// <summary>The clause text as the notice words it.</summary>
    public string Text { get; }

    /// <summary>The citation pointing at this clause.</summary>
    public Citation Citation { get; }
}

/// <summary>A reference to one clause: policy id, clause id, the notice's numbering and document number.</summary>
public sealed record Citation(string PolicyId, string ClauseId, string Numbering, string DocumentNumber);

/// <summary>An inclusive range of calendar dates.</summary>
public readonly record struct DateRange(DateOnly From, DateOnly To)
{
    /// <summary>True when <paramref name="date"/> lies within the range, both ends included.</summary>
    public bool Contains(DateOnly date) => date >= From && date <= To;

    /// <summary>True when the two ranges share at least one day.</summary>
    public bool Overlaps(DateRange other) => From <= other.To && other.From <= To;
}

/// <summary>How a subsidy reaches the resident.</summary>
public enum SubsidyMode
{
    /// <summary>No subsidy applies.</summary>
    None = 0,

    /// <summary>The resident pays only the remainder.</summary>
    Direct,

    /// <summary>The resident pays in full first; the department refunds its part later.</summary>
    Reimbursed,
}

/// <summary>What the notice says about a category's subsidy.</summary>
public enum SubsidyStatus
{
    /// <summary>The notice states the subsidy per tier.</summary>
    Stated = 0,

    /// <summary>The notice names the group but defers the amount to other documents.</summary>
    NotStated,

    /// <summary>The group is recognised (e.g. for targets) but receives no subsidy under this notice.</summary>
    NoSubsidy,
}
