using WeChatAssist.Policy;

namespace WeChatAssist.Server.Reminders;

/// <summary>One reminder a policy implies: what it is about (<see cref="Kind"/>), the policy date it leads up to and
/// when it is sent. Rules about a person's own dates (newborn window, end of a waiting period) carry only
/// <see cref="DaysBefore"/>; the planner finds the people whose date falls that many days ahead.</summary>
/// <param name="Id">Stable within the policy (part of the outbox de-duplication key), e.g. <c>deadline-7d</c>.</param>
/// <param name="Kind">One of <see cref="ReminderKinds"/>.</param>
/// <param name="DueDate">The policy date (the last payable day before the change), or null for per-person rules.</param>
/// <param name="DaysBefore">How many days ahead of the date the reminder goes out.</param>
/// <param name="SendOn">The business date it is planned for, or null for per-person rules.</param>
/// <param name="Cites">Clause ids of the notice establishing the date.</param>
internal sealed record ReminderRule(string Id, string Kind, DateOnly? DueDate, int DaysBefore, DateOnly? SendOn, IReadOnlyList<string> Cites);

/// <summary>Derives the reminder rules of a policy from the policy engine's own dates: the collection window, each
/// late regime's last payable day (or the last day that still buys cover), the payable-days calendar's monthly
/// stops, the newborn window and waiting periods. No date is hard-coded per county.</summary>
internal static class ReminderRules
{
    /// <summary>The facts of an ordinary adult who paid last year: enough for the engine to say whether a day still
    /// buys cover under every shipped notice.</summary>
    private static readonly ResidentFacts Probe = new() { Tier = 1, BirthDate = new DateOnly(1980, 1, 1), PaidLastYear = true };

    /// <summary>All rules of <paramref name="policy"/>, date rules in send order, then the per-person rules.</summary>
    public static IReadOnlyList<ReminderRule> For(InsurancePolicy policy, RemindersOptions options)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var rules = new List<ReminderRule>();
        var deadline = policy.CollectionWindow.To;
        foreach (var days in options.DeadlineOffsetsFor(policy.Id))
        {
            rules.Add(new($"deadline-{days}d", ReminderKinds.Deadline, deadline, days, deadline.AddDays(-days), Ids(policy.CollectionWindowCites)));
        }

        var changes = new HashSet<DateOnly> { deadline };
        foreach (var regime in policy.LateRegimes)
        {
            var last = LastDayBuyingCover(policy, regime);
            if (last is not { } day || !changes.Add(day))
            {
                continue;
            }

            foreach (var days in options.LateChangeOffsets)
            {
                rules.Add(new($"late-{regime.Id}-{days}d", ReminderKinds.LateChange, day, days, day.AddDays(-days), Ids(regime.Cites)));
            }
        }

        if (policy.NoPaymentFromDay is { } stopDay)
        {
            // A run of payable days that ends the day before the monthly stop day: the calendar says when paying pauses.
            var end = policy.LateRegimes.Count > 0 ? policy.LateRegimes[^1].Period.To : deadline;
            for (var day = policy.CollectionWindow.From; day < end; day = day.AddDays(1))
            {
                var next = day.AddDays(1);
                if (next.Day == stopDay && policy.IsPayable(day) && !policy.IsPayable(next) && !changes.Contains(day))
                {
                    foreach (var days in options.MonthlyStopOffsets)
                    {
                        rules.Add(new($"stop-{day:yyyyMM}-{days}d", ReminderKinds.MonthlyStop, day, days, day.AddDays(-days), Ids(policy.NoPaymentCites)));
                    }
                }
            }
        }

        rules.Sort((a, b) => Nullable.Compare(a.SendOn, b.SendOn));
        if (policy.Newborn is { } newborn)
        {
            foreach (var days in options.NewbornOffsets)
            {
                rules.Add(new($"newborn-{days}d", ReminderKinds.Newborn, null, days, null, Ids(newborn.Cites)));
            }
        }

        var waiting = policy.LateRegimes.Where(r => r.BenefitStart is BenefitStartRule.AfterWaitingDays or BenefitStartRule.AfterWaitingMonths).ToList();
        if (waiting.Count > 0)
        {
            foreach (var days in options.WaitingEndOffsets)
            {
                rules.Add(new($"waiting-end-{days}d", ReminderKinds.WaitingEnd, null, days, null, Ids(waiting.SelectMany(r => r.Cites))));
            }
        }

        return rules;
    }

    /// <summary>The last day a regime's payment still buys cover: its last day, or earlier when the waiting period
    /// would end after the benefit year (003 after 1 October). Null when no day of it buys cover.</summary>
    public static DateOnly? LastDayBuyingCover(InsurancePolicy policy, LateRegime regime)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(regime);
        var last = regime.Deadline is { } stated && stated < regime.Period.To ? stated : regime.Period.To;
        for (var day = last; day >= regime.Period.From; day = day.AddDays(-1))
        {
            if (policy.IsPayable(day) && policy.Quote(Probe, day).Outcome == QuoteOutcome.Ok)
            {
                return day;
            }
        }

        return null;
    }

    /// <summary>Birth dates whose newborn enrolment window (as the engine counts it) ends on <paramref name="lastDay"/>.</summary>
    public static IReadOnlyList<DateOnly> BirthDatesWithWindowEndingOn(InsurancePolicy policy, DateOnly lastDay)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.Newborn is not { } newborn)
        {
            return [];
        }

        var births = new List<DateOnly>();
        for (var birth = newborn.BornWithin.From; birth <= newborn.BornWithin.To; birth = birth.AddDays(1))
        {
            if (newborn.Window.LastDay(birth) == lastDay)
            {
                births.Add(birth);
            }
        }

        return births;
    }

    /// <summary>Late payment days whose cover, after a waiting period, starts on <paramref name="coverStart"/>.</summary>
    public static IReadOnlyList<DateOnly> PaymentDaysWithCoverFrom(InsurancePolicy policy, DateOnly coverStart)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var days = new List<DateOnly>();
        foreach (var regime in policy.LateRegimes.Where(r => r.BenefitStart is BenefitStartRule.AfterWaitingDays or BenefitStartRule.AfterWaitingMonths))
        {
            for (var day = regime.Period.From; day <= regime.Period.To && day < coverStart; day = day.AddDays(1))
            {
                var quote = policy.Quote(Probe, day);
                if (quote.Outcome == QuoteOutcome.Ok && quote.WaitingDays > 0 && quote.BenefitStart == coverStart)
                {
                    days.Add(day);
                }
            }
        }

        return days;
    }

    private static string[] Ids(IEnumerable<PolicyClause> clauses) => [.. clauses.Select(c => c.Id).Distinct()];
}
