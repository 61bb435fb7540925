using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace WeChatAssist.Policy;

/// <summary>The quote one group and tier gets on the preview day.</summary>
public sealed record PreviewQuote(
    string Group,
    string? Code,
    int Tier,
    [property: JsonConverter(typeof(JsonStringEnumConverter<QuoteOutcome>))] QuoteOutcome Outcome,
    long? DueFen,
    long? SubsidyFen,
    [property: JsonConverter(typeof(JsonStringEnumConverter<SubsidyMode>))] SubsidyMode Mode,
    DateOnly? BenefitStart,
    DateOnly? Deadline,
    int? WaitingDays,
    [property: JsonConverter(typeof(JsonStringEnumConverter<MissingFact>))] MissingFact Missing,
    IReadOnlyList<string> Cites);

/// <summary>A key date of the policy (window, late regimes, deadlines, benefit period, the notice's own dates).</summary>
public sealed record CalendarEntry(DateOnly Date, string What);

/// <summary>What a policy tells residents on one day: a quote for every group and tier, and the calendar of key dates.</summary>
public sealed record PolicyPreview(string PolicyId, DateOnly On, bool Payable, IReadOnlyList<PreviewQuote> Quotes, IReadOnlyList<CalendarEntry> Calendar)
{
    /// <summary>
    /// Quotes every group (and "no group") at every tier on <paramref name="on"/> for a resident who paid last year
    /// (the usual case; a group that needs a further fact shows <see cref="QuoteOutcome.MissingFact"/> and which).
    /// </summary>
    public static PolicyPreview Build(InsurancePolicy policy, DateOnly on)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var quotes = new List<PreviewQuote>();
        var groups = policy.Categories.Select(c => (Name: c.Name, Code: (string?)c.Code)).Prepend(("(no group)", null));
        foreach (var (name, code) in groups)
        {
            foreach (var tier in policy.Tiers)
            {
                var q = policy.Quote(new ResidentFacts { Categories = code is null ? [] : [code], Tier = tier.Number, PaidLastYear = true }, on);
                quotes.Add(new PreviewQuote(name, code, tier.Number, q.Outcome, q.IndividualDueFen, q.SubsidyFen, q.SubsidyMode, q.BenefitStart, q.Deadline, q.WaitingDays, q.Missing,
                    q.Citations.Select(c => c.Numbering).Distinct().ToList()));
            }
        }

        return new PolicyPreview(policy.Id, on, policy.IsPayable(on), quotes, CalendarOf(policy));
    }

    /// <summary>The policy's key dates in date order.</summary>
    public static IReadOnlyList<CalendarEntry> CalendarOf(InsurancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var days = new List<CalendarEntry>
        {
            new(policy.CollectionWindow.From, "collection window opens"),
            new(policy.CollectionWindow.To, "collection window closes (last day)"),
            new(policy.BenefitPeriod.From, "benefit period starts"),
            new(policy.BenefitPeriod.To, "benefit period ends"),
        };
        foreach (var r in policy.LateRegimes)
        {
            days.Add(new(r.Period.From, $"late regime '{r.Id}' starts"));
            days.Add(new(r.Period.To, $"late regime '{r.Id}' ends"));
            if (r.Deadline is { } d && d != r.Period.To)
            {
                days.Add(new(d, $"late regime '{r.Id}' deadline"));
            }
        }

        if (policy.College is { } college)
        {
            days.Add(new(college.TransitionCover.From, "college transition cover starts"));
            days.Add(new(college.TransitionCover.To, "college transition cover ends"));
        }

        days.AddRange(policy.Dates.Select(d => new CalendarEntry(d.Date, d.Description)));
        return days.OrderBy(d => d.Date).ToList();
    }

    /// <summary>The preview as plain text: the quote table, then the calendar.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{PolicyId} on {Day(On)}: {(Payable ? "payable" : "not payable")}");
        text.AppendLine();
        text.Append(TextTable.Render(
            ["group", "tier", "outcome", "pays", "subsidy", "mode", "cover from", "deadline", "waiting", "cites"],
            Quotes.Select(q => new[]
            {
                q.Code is null ? q.Group : $"{q.Group} ({q.Code})",
                q.Tier.ToString(c),
                q.Outcome == QuoteOutcome.MissingFact ? $"MissingFact({q.Missing})" : q.Outcome.ToString(),
                q.DueFen is { } d ? PolicyFormat.Yuan(d) : "—",
                q.SubsidyFen is { } s ? PolicyFormat.Yuan(s) : "—",
                q.Mode.ToString(),
                q.BenefitStart is { } b ? Day(b) : "—",
                q.Deadline is { } dl ? Day(dl) : "—",
                q.WaitingDays is { } w ? w.ToString(c) : "—",
                string.Join(" ", q.Cites),
            })));
        text.AppendLine();
        text.Append(TextTable.Render(["date", "what"], Calendar.Select(e => new[] { Day(e.Date), e.What })));
        return text.ToString();
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
