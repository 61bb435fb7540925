using System.Globalization;

namespace WeChatAssist.Policy;

/// <summary>One thing that changes for residents between two policies; <c>Before</c> or <c>After</c> is null when added or removed.</summary>
public sealed record PolicyChange(string Area, string Item, string? Before, string? After);

/// <summary>
/// What changes for residents between a county's previous policy and a new one (<c>policy diff</c>, the draft review):
/// amounts per group and tier, windows and deadlines, late regimes and waiting periods, national rules that start or
/// stop applying (a later benefit year comes under 国办发〔2024〕38号), groups added or removed, channels and contacts.
/// Groups, regimes, national layers, channels and contacts are matched by code, id and name.
/// </summary>
public static class PolicyDiff
{
    /// <summary>Area names, in the order the table lists them.</summary>
    public const string Header = "notice", Amounts = "amounts", Groups = "groups", Dates = "dates", Late = "late", National = "national", Channels = "channels", Contacts = "contacts";

    /// <summary>The changes from <paramref name="before"/> to <paramref name="after"/>, in table order; empty when nothing a resident sees changes.</summary>
    public static IReadOnlyList<PolicyChange> Compare(InsurancePolicy before, InsurancePolicy after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<PolicyChange>();

        void Add(string area, string item, string? a, string? b)
        {
            if (!string.Equals(a, b, StringComparison.Ordinal))
            {
                changes.Add(new PolicyChange(area, item, a, b));
            }
        }

        Add(Header, "name", before.Name, after.Name);
        Add(Header, "issuer", before.Issuer, after.Issuer);
        Add(Header, "document number", before.DocumentNumber, after.DocumentNumber);
        Add(Header, "title", before.Title, after.Title);
        Add(Header, "benefit year", Num(before.BenefitYear), Num(after.BenefitYear));

        Add(Amounts, "fiscal subsidy", Yuan(before.FiscalSubsidyFen), Yuan(after.FiscalSubsidyFen));
        foreach (var number in before.Tiers.Select(t => t.Number).Union(after.Tiers.Select(t => t.Number)).Order())
        {
            var a = before.Tiers.FirstOrDefault(t => t.Number == number);
            var b = after.Tiers.FirstOrDefault(t => t.Number == number);
            Add(Amounts, $"tier {number} individual", a is null ? null : Yuan(a.IndividualFen), b is null ? null : Yuan(b.IndividualFen));
            Add(Amounts, $"tier {number} college", a?.CollegeFen is { } ac ? Yuan(ac) : null, b?.CollegeFen is { } bc ? Yuan(bc) : null);
        }

        foreach (var code in Union(before.Categories.Select(c => c.Code), after.Categories.Select(c => c.Code)))
        {
            var a = before.FindCategoryByCode(code);
            var b = after.FindCategoryByCode(code);
            if (a is null || b is null)
            {
                Add(Groups, $"{(a ?? b)!.Name} ({code})", a is null ? null : GroupSummary(a), b is null ? null : GroupSummary(b));
                continue;
            }

            var label = $"{b.Name} ({code})";
            Add(Groups, $"{label} name", a.Name, b.Name);
            Add(Groups, $"{label} status", a.Status.ToString(), b.Status.ToString());
            foreach (var tier in a.Subsidies.Select(s => s.Tier).Union(b.Subsidies.Select(s => s.Tier)).Order())
            {
                var sa = a.AtTier(tier);
                var sb = b.AtTier(tier);
                Add(Groups, $"{label} tier {tier} subsidy", sa is null ? null : Yuan(sa.SubsidyFen), sb is null ? null : Yuan(sb.SubsidyFen));
                Add(Groups, $"{label} tier {tier} individual", sa is null ? null : Yuan(sa.IndividualFen), sb is null ? null : Yuan(sb.IndividualFen));
            }

            Add(Groups, $"{label} funder", a.Funder, b.Funder);
            Add(Groups, $"{label} mode", a.Mode.ToString(), b.Mode.ToString());
            Add(Groups, $"{label} age", Age(a.Age), Age(b.Age));
        }

        Add(Dates, "collection window", Range(before.CollectionWindow), Range(after.CollectionWindow));
        Add(Dates, "benefit period", Range(before.BenefitPeriod), Range(after.BenefitPeriod));
        Add(Dates, "no payment from day", before.NoPaymentFromDay is { } n1 ? Num(n1) : null, after.NoPaymentFromDay is { } n2 ? Num(n2) : null);
        Add(Dates, "newborn", Newborn(before.Newborn), Newborn(after.Newborn));
        Add(Dates, "college transition cover", before.College is { } c1 ? Range(c1.TransitionCover) : null, after.College is { } c2 ? Range(c2.TransitionCover) : null);
        foreach (var id in Union(before.Dates.Select(d => d.Id), after.Dates.Select(d => d.Id)))
        {
            var a = before.Dates.FirstOrDefault(d => d.Id == id);
            var b = after.Dates.FirstOrDefault(d => d.Id == id);
            Add(Dates, (b ?? a)!.Description, a is null ? null : Day(a.Date), b is null ? null : Day(b.Date));
        }

        Add(Late, "after the window", before.LateRegimes.Count == 0 ? "not stated" : null, after.LateRegimes.Count == 0 ? "not stated" : null);
        foreach (var id in Union(before.LateRegimes.Select(r => r.Id), after.LateRegimes.Select(r => r.Id)))
        {
            var a = before.LateRegimes.FirstOrDefault(r => r.Id == id);
            var b = after.LateRegimes.FirstOrDefault(r => r.Id == id);
            if (a is null || b is null)
            {
                Add(Late, $"regime {id}", a is null ? null : RegimeSummary(a), b is null ? null : RegimeSummary(b));
                continue;
            }

            Add(Late, $"regime {id} period", Range(a.Period), Range(b.Period));
            Add(Late, $"regime {id} deadline", a.Deadline is { } d1 ? Day(d1) : null, b.Deadline is { } d2 ? Day(d2) : null);
            Add(Late, $"regime {id} cover starts", Start(a), Start(b));
            Add(Late, $"regime {id} subsidies", a.Subsidies.ToString(), b.Subsidies.ToString());
            Add(Late, $"regime {id} resident pays fiscal subsidy", Flag(a.ResidentPaysFiscalSubsidy), Flag(b.ResidentPaysFiscalSubsidy));
            Add(Late, $"regime {id} minimum", a.MinimumFen is { } m1 ? Yuan(m1) : null, b.MinimumFen is { } m2 ? Yuan(m2) : null);
            Add(Late, $"regime {id} only last year's payers", Flag(a.RequiresPaidLastYear), Flag(b.RequiresPaidLastYear));
        }

        // National layers the notices inherit by benefit year: a resident sees their rules even where the county
        // notice says nothing, so a layer that starts applying is a change although no line of the county file moved.
        foreach (var id in Union(before.National.Select(l => l.Id), after.National.Select(l => l.Id)))
        {
            var a = before.National.FirstOrDefault(l => l.Id == id);
            var b = after.National.FirstOrDefault(l => l.Id == id);
            var document = (b ?? a)!.DocumentNumber;
            Add(National, document, a is null ? null : $"applies from benefit year {Num(a.FromBenefitYear)}", b is null ? null : $"applies from benefit year {Num(b.FromBenefitYear)}");
            Add(National, $"{document} waiting period", NationalWaiting(before, a), NationalWaiting(after, b));
            Add(National, $"{document} incentives", a?.Incentives is { } ia ? Incentives(ia) : null, b?.Incentives is { } ib ? Incentives(ib) : null);
        }

        foreach (var name in Union(before.PaymentChannels.Select(c => c.Name), after.PaymentChannels.Select(c => c.Name)))
        {
            Add(Channels, name, before.PaymentChannels.FirstOrDefault(c => c.Name == name)?.Description, after.PaymentChannels.FirstOrDefault(c => c.Name == name)?.Description);
        }

        foreach (var name in Union(before.Contacts.Select(c => c.Name), after.Contacts.Select(c => c.Name)))
        {
            Add(Contacts, name, Contact(before.Contacts.FirstOrDefault(c => c.Name == name)), Contact(after.Contacts.FirstOrDefault(c => c.Name == name)));
        }

        return changes;
    }

    /// <summary>The changes as a plain-text table (area, item, before, after; "—" for added or removed).</summary>
    public static string Table(IReadOnlyList<PolicyChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return TextTable.Render(["area", "item", "before", "after"], changes.Select(c => new[] { c.Area, c.Item, c.Before ?? "—", c.After ?? "—" }));
    }

    private static IEnumerable<string> Union(IEnumerable<string> a, IEnumerable<string> b) => a.Concat(b).Distinct(StringComparer.Ordinal);

    private static string Yuan(long fen) => PolicyFormat.Yuan(fen);

    private static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Range(DateRange r) => $"{Day(r.From)} – {Day(r.To)}";

    private static string Flag(bool b) => b ? "yes" : "no";

    private static string? Age(AgeCondition? a) => a is null ? null : string.Join(" or ", new[] { a.AtLeast is { } l ? $"≥{l}" : null, a.Below is { } u ? $"<{u}" : null }.OfType<string>());

    private static string? Newborn(NewbornRule? n) => n is null ? null : $"born {Range(n.BornWithin)}, {Duration(n.Window)}";

    private static string Duration(CountedDuration d) => $"{d.Amount} {(d.Unit == DurationUnit.Days ? "days" : "months")}{(d.CountFromNextDay ? " from the next day" : string.Empty)}";

    private static string Start(LateRegime r) => r.BenefitStart switch
    {
        BenefitStartRule.NextMonthFirst => "first of the next month",
        _ when r.Waiting is { } w => $"after waiting {Duration(w)}",
        var s => s.ToString(),
    };

    /// <summary>The layer's waiting period as it applies to <paramref name="policy"/>: null without one, or a note
    /// when the county notice declares that its own late-payment rules override it.</summary>
    private static string? NationalWaiting(InsurancePolicy policy, NationalLayer? layer)
    {
        if (layer?.WaitingPeriod is not { } w)
        {
            return null;
        }

        if (policy.OverridesNationalWaitingPeriod)
        {
            return "overridden by the county notice";
        }

        var text = $"join outside the collection period or after a break: fixed {w.FixedMonths} months, +{w.MonthsPerYearOfBreak} per year of break";
        if (w.RepairMonthsPerYearPaid > 0)
        {
            text += $" (−{w.RepairMonthsPerYearPaid} per missed year paid)";
        }

        if (w.FloorFromBreakYears > 0)
        {
            text += $", at least {w.FloorMonths} months after a break of {w.FloorFromBreakYears}+ years";
        }

        return text + $"; except {w.Exceptions}";
    }

    private static string Incentives(NationalIncentives i) =>
        $"大病保险 maximum raised after {i.ContinuousAfterYears} continuous years and after a year without claims, at least {Yuan(i.MinimumRaiseFen)} a time, at most {i.CapPercentOfOriginal.ToString(CultureInfo.InvariantCulture)}% of the original in all";

    private static string RegimeSummary(LateRegime r) =>
        $"{Range(r.Period)}, cover {Start(r)}" + (r.Deadline is { } d ? $", deadline {Day(d)}" : string.Empty);

    private static string GroupSummary(SubsidyCategory c) => c.Status != SubsidyStatus.Stated
        ? c.Status.ToString()
        : string.Join("; ", c.Subsidies.Select(s => $"tier {s.Tier}: subsidy {Yuan(s.SubsidyFen)}, pays {Yuan(s.IndividualFen)}")) + $" ({c.Mode}, {c.Funder ?? "funder not stated"})";

    private static string? Contact(PolicyContact? c) => c is null ? null : c.Phone is null ? c.Role : $"{c.Role}, {c.Phone}";
}
