using System.Globalization;
namespace WeChatAssist.Policy;

/// <summary>
/// Computes a <see cref="PolicyQuote"/>. Order of reasoning: categories exist → which schedule the payment
/// date falls in (window, late regime, newborn, freshman) → tier → amounts for that tier → dates.
/// Every decision adds a cited step; anything the notice does not state ends in an explicit outcome.
/// </summary>
internal static class QuoteCalculator
{
    private enum Schedule
    {
        BeforeWindow,
        Window,
        Regime,
        Newborn,
        Freshman,
    }

    private readonly record struct Figures(
        QuoteOutcome Outcome,
        long DueFen,
        long SubsidyFen,
        string? Funder,
        SubsidyMode Mode,
        long FiscalFen,
        string? Category,
        MissingFact Missing,
        Citation? Deferring,
        QuoteGaps Gaps);

    public static PolicyQuote Quote(InsurancePolicy p, ResidentFacts f, DateOnly paidOn)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(f);
        var steps = StepBuffer.Recording();

        foreach (var code in f.Categories)
        {
            if (Resolve(p, code) is null)
            {
                var cite = p.CategoryListCites[0].Citation;
                steps.Add(new(ExplanationKind.CategoryNotInCounty, cite, Subject: code));
                return Refusal(p, paidOn, f.Tier, QuoteOutcome.CategoryNotInCounty, cite, ref steps);
            }
        }

        if (f.Student == StudentKind.College && f.CollegeTransitionPaid == true)
        {
            return CollegeTransition(p, f, paidOn, ref steps);
        }

        if (f.Newborn == true && f.BirthDate is null && p.Newborn is { } newbornRule)
        {
            var cite = newbornRule.Cites[0].Citation;
            steps.Add(new(ExplanationKind.NeedFact, cite, Subject: "出生日期"));
            return Refusal(p, paidOn, f.Tier, QuoteOutcome.MissingFact, cite, ref steps, MissingFact.BirthDate);
        }

        // Which schedule the payment date falls in.
        var window = p.CollectionWindow;
        LateRegime? regime = null;
        Schedule schedule;
        var bornInYear = f.BirthDate is { } birth && p.Newborn is { } nb && nb.BornWithin.Contains(birth);
        if (bornInYear && paidOn >= f.BirthDate!.Value && paidOn <= p.Newborn!.Window.LastDay(f.BirthDate.Value) && paidOn <= p.BenefitPeriod.To)
        {
            schedule = Schedule.Newborn;
        }
        else if (f.Student == StudentKind.College && f.CollegeFreshman == true && p.College is not null
                 && paidOn < p.BenefitPeriod.From && paidOn <= window.To && paidOn.Year >= p.BenefitYear - 1)
        {
            schedule = Schedule.Freshman;
        }
        else if (paidOn < window.From)
        {
            schedule = Schedule.BeforeWindow;
        }
        else if (window.Contains(paidOn))
        {
            schedule = Schedule.Window;
        }
        else
        {
            regime = FindRegime(p, paidOn);
            if (regime is null)
            {
                return AfterAllWindows(p, f, paidOn, ref steps);
            }

            schedule = Schedule.Regime;
        }

        if (regime is { RequiresPaidLastYear: true })
        {
            var cite = regime.Cites[0].Citation;
            steps.Add(new(ExplanationKind.RequiresPaidLastYear, cite));
            // Someone born in the benefit year cannot have paid for the year before.
            var paidLastYear = f.BirthDate is { } born && born.Year >= p.BenefitYear ? false : f.PaidLastYear;
            if (paidLastYear is null)
            {
                steps.Add(new(ExplanationKind.NeedFact, cite, Subject: "上年度是否参保缴费"));
                return Refusal(p, paidOn, f.Tier, QuoteOutcome.MissingFact, cite, ref steps, MissingFact.PaidLastYear);
            }

            if (paidLastYear == false)
            {
                steps.Add(new(ExplanationKind.FirstTimeLateNotStated, cite));
                return Refusal(p, paidOn, f.Tier, QuoteOutcome.NotStated, cite, ref steps);
            }
        }

        // Tiers offered to this person.
        Span<int> offered = stackalloc int[p.Tiers.Count];
        var offeredCount = 0;
        foreach (var t in p.Tiers)
        {
            if (TierOffered(p, f, t.Number))
            {
                offered[offeredCount++] = t.Number;
            }
        }

        if (f.Tier is { } wanted && !offered[..offeredCount].Contains(wanted))
        {
            var (subject, cite) = TierRefusalSubject(p, f);
            steps.Add(new(ExplanationKind.TierNotOffered, cite, Number: wanted, Subject: subject));
            return Refusal(p, paidOn, f.Tier, QuoteOutcome.TierNotOffered, cite, ref steps, options: Options(p, f, regime, paidOn, offered[..offeredCount]));
        }

        // Dates: schedule steps come first in the explanation.
        var payable = schedule != Schedule.BeforeWindow && !IsNoPaymentDay(p, paidOn);
        var next = payable ? paidOn : NextPayableDay(p, paidOn.AddDays(1));
        DateOnly? start;
        DateOnly? end = p.BenefitPeriod.To;
        DateOnly? deadline;
        int? waitingDays = 0;
        var gaps = QuoteGaps.None;
        var dateOutcome = QuoteOutcome.Ok;
        switch (schedule)
        {
            case Schedule.BeforeWindow:
                steps.Add(new(ExplanationKind.BeforeWindow, p.CollectionWindowCites[0].Citation, Date1: window.From, Date2: window.To));
                start = p.BenefitPeriod.From;
                deadline = window.To;
                break;
            case Schedule.Window:
                steps.Add(new(ExplanationKind.InWindow, p.CollectionWindowCites[0].Citation, Date1: window.From, Date2: window.To));
                start = p.BenefitPeriod.From;
                deadline = window.To;
                break;
            case Schedule.Freshman:
                start = paidOn.AddDays(1);
                deadline = window.To;
                steps.Add(new(ExplanationKind.CollegeFreshman, p.College!.FreshmanCites[0].Citation, Date1: start.Value, Date2: p.BenefitPeriod.To));
                break;
            case Schedule.Newborn:
                {
                    var rule = p.Newborn!;
                    var cite = rule.Cites[0].Citation;
                    deadline = rule.Window.LastDay(f.BirthDate!.Value);
                    steps.Add(new(ExplanationKind.NewbornWindow, cite, Date1: f.BirthDate.Value, Date2: deadline.Value, Number: rule.Window.Amount));
                    steps.Add(new(ExplanationKind.NewbornBenefitStartNotStated, cite));
                    start = null;
                    waitingDays = null;
                    gaps |= QuoteGaps.BenefitStart;
                    break;
                }

            default:
                {
                    var r = regime!;
                    var cite = r.Cites[0].Citation;
                    start = r.BenefitStart switch
                    {
                        BenefitStartRule.NextMonthFirst => new DateOnly(paidOn.Year, paidOn.Month, 1).AddMonths(1),
                        _ => r.Waiting!.FirstDayAfter(paidOn),
                    };
                    steps.Add(r.BenefitStart switch
                    {
                        BenefitStartRule.NextMonthFirst => new(ExplanationKind.LateNextMonthFirst, cite, Date1: r.Period.From, Date2: r.Period.To),
                        BenefitStartRule.AfterWaitingMonths => new(ExplanationKind.LateWaitingMonths, cite, Date1: r.Period.From, Date2: start.Value, Number: r.Waiting!.Amount),
                        _ => new(r.Waiting!.CountFromNextDay ? ExplanationKind.LateWaitingDaysFromNextDay : ExplanationKind.LateWaitingDaysFromSameDay,
                            cite, Date1: r.Period.From, Date2: start.Value, Number: r.Waiting.Amount),
                    });
                    waitingDays = start.Value.DayNumber - paidOn.DayNumber - 1;
                    deadline = r.Deadline;
                    if (deadline is null)
                    {
                        gaps |= QuoteGaps.Deadline;
                    }

                    if (start.Value > end.Value)
                    {
                        steps.Add(new(ExplanationKind.NoCoverRemaining, cite, Date1: start.Value, Date2: end.Value));
                        dateOutcome = QuoteOutcome.NoCoverRemaining;
                    }

                    break;
                }
        }

        if (!payable && schedule != Schedule.BeforeWindow && p.NoPaymentFromDay is { } stopDay && next is { } nextDay)
        {
            steps.Add(new(ExplanationKind.NoPaymentDay, p.NoPaymentCites[0].Citation, Date1: nextDay, Number: stopDay));
        }

        int? tier = f.Tier ?? (offeredCount == 1 ? offered[0] : null);
        Figures figures;
        if (tier is null)
        {
            var cite = p.Tiers[0].Cites[0].Citation;
            steps.Add(new(ExplanationKind.ChooseTier, cite));
            figures = new(QuoteOutcome.MissingFact, 0, 0, null, SubsidyMode.None, 0, null, MissingFact.Tier, cite, QuoteGaps.None);
            // "七月份才交 是不是要多交钱": the late rule behind both options' figures is stated once, whichever tier is
            // chosen (the fiscal part is the year's, the same for every tier).
            var silent = default(SilentSteps);
            if (regime is { ResidentPaysFiscalSubsidy: true } && offeredCount > 0
                && Compute(p, f, Tier(p, offered[0]), regime, paidOn, ref silent) is { Outcome: QuoteOutcome.Ok, FiscalFen: > 0 and var fiscal })
            {
                steps.Add(new(ExplanationKind.LateFiscalAnyTier, regime.Cites[^1].Citation, Date1: regime.Period.From, Fen1: fiscal));
            }
        }
        else
        {
            figures = Compute(p, f, Tier(p, tier.Value), regime, paidOn, ref steps);
        }

        if (figures.Outcome == QuoteOutcome.Ok && dateOutcome == QuoteOutcome.Ok && start is { } s && end is { } e)
        {
            steps.Add(new(ExplanationKind.BenefitPeriod, BenefitCite(p, schedule, regime), Date1: s, Date2: e));
        }

        if (figures.Outcome == QuoteOutcome.Ok)
        {
            if (deadline is { } d)
            {
                steps.Add(new(ExplanationKind.Deadline, DeadlineCite(p, schedule, regime), Date1: d));
            }
            else if ((gaps & QuoteGaps.Deadline) != 0)
            {
                steps.Add(new(ExplanationKind.DeadlineNotStated, regime!.Cites[0].Citation));
            }
        }

        var outcome = figures.Outcome != QuoteOutcome.Ok ? figures.Outcome : dateOutcome;
        var known = figures.Outcome == QuoteOutcome.Ok;
        var noCover = dateOutcome == QuoteOutcome.NoCoverRemaining;
        return new PolicyQuote
        {
            Policy = p,
            PaidOn = paidOn,
            Outcome = outcome,
            Tier = tier,
            IndividualDueFen = known ? figures.DueFen : null,
            SubsidyFen = known ? figures.SubsidyFen : null,
            SubsidyFunder = known ? figures.Funder : null,
            SubsidyMode = known ? figures.Mode : SubsidyMode.None,
            FiscalSubsidyPaidByResidentFen = known ? figures.FiscalFen : 0,
            AppliedCategory = known ? figures.Category : null,
            Payable = payable,
            NextPayableDate = next,
            Deadline = deadline,
            BenefitStart = noCover ? null : start,
            BenefitEnd = noCover ? null : end,
            WaitingDays = noCover ? null : waitingDays,
            Missing = figures.Missing,
            DeferringClause = figures.Deferring,
            Gaps = gaps | figures.Gaps,
            Options = Options(p, f, regime, paidOn, offered[..offeredCount], figures.Missing == MissingFact.Tier ? null : tier, figures),
            Explanation = steps.ToArray(),
        };
    }

    /// <summary>True when payment is taken on <paramref name="date"/>: inside the window or a late regime, and not a no-payment day.</summary>
    public static bool IsPayableDay(InsurancePolicy p, DateOnly date)
    {
        if (IsNoPaymentDay(p, date))
        {
            return false;
        }

        return p.CollectionWindow.Contains(date) || FindRegime(p, date) is not null;
    }

    private static bool IsNoPaymentDay(InsurancePolicy p, DateOnly date) => p.NoPaymentFromDay is { } day && date.Day >= day;

    private static DateOnly? NextPayableDay(InsurancePolicy p, DateOnly from)
    {
        var last = p.CollectionWindow.To;
        foreach (var r in p.LateRegimes)
        {
            if (r.Period.To > last)
            {
                last = r.Period.To;
            }
        }

        var d = from < p.CollectionWindow.From ? p.CollectionWindow.From : from;
        for (; d <= last; d = d.AddDays(1))
        {
            if (IsPayableDay(p, d))
            {
                return d;
            }
        }

        return null;
    }

    private static LateRegime? FindRegime(InsurancePolicy p, DateOnly date)
    {
        foreach (var r in p.LateRegimes)
        {
            if (r.Period.Contains(date))
            {
                return r;
            }
        }

        return null;
    }

    private static ContributionTier Tier(InsurancePolicy p, int number)
    {
        foreach (var t in p.Tiers)
        {
            if (t.Number == number)
            {
                return t;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(number), number, "tier not in policy");
    }

    /// <summary>A tier is offered unless every subsidised category the person names lacks it (003 重点优抚对象: 二档 only).</summary>
    private static bool TierOffered(InsurancePolicy p, ResidentFacts f, int tier)
    {
        var anyStated = false;
        foreach (var code in f.Categories)
        {
            var c = Resolve(p, code)!;
            if (c.Status != SubsidyStatus.Stated)
            {
                return true;
            }

            anyStated = true;
            if (c.AtTier(tier) is not null)
            {
                return true;
            }
        }

        return !anyStated;
    }

    private static (string Subject, Citation Cite) TierRefusalSubject(InsurancePolicy p, ResidentFacts f)
    {
        foreach (var code in f.Categories)
        {
            var c = Resolve(p, code)!;
            if (c.Status == SubsidyStatus.Stated)
            {
                return (c.Name, c.Cites[0].Citation);
            }
        }

        return (p.Name, p.Tiers[0].Cites[0].Citation);
    }

    /// <summary>Facts normally carry codes; the notice's names and aliases are accepted too.</summary>
    private static SubsidyCategory? Resolve(InsurancePolicy p, string codeOrName) =>
        p.FindCategoryByCode(codeOrName) ?? p.FindCategory(codeOrName);

    private static bool IsExcluded(InsurancePolicy p, ResidentFacts f, SubsidyCategory c)
    {
        foreach (var other in c.ExcludedBy)
        {
            foreach (var code in f.Categories)
            {
                if (string.Equals(Resolve(p, code)?.Code, other, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static Figures Compute<TSteps>(InsurancePolicy p, ResidentFacts f, ContributionTier tier, LateRegime? regime, DateOnly paidOn, ref TSteps steps)
        where TSteps : struct, IStepSink
    {
        var tierCite = tier.Cites[0].Citation;
        var baseFen = tier.IndividualFen;
        var college = f.Student == StudentKind.College;
        if (college && tier.CollegeFen is { } collegeFen)
        {
            baseFen = collegeFen;
            steps.Add(new(ExplanationKind.CollegeRate, tierCite, Fen1: collegeFen, Number: tier.Number));
        }
        else if (college)
        {
            steps.Add(new(ExplanationKind.CollegeRateNotDefined, tierCite, Fen1: baseFen));
        }
        else if (f.Student == StudentKind.School && p.SchoolCites.Count > 0)
        {
            steps.Add(new(ExplanationKind.SchoolStudent, p.SchoolCites[0].Citation, Fen1: baseFen));
        }
        else
        {
            steps.Add(new(ExplanationKind.TierRate, tierCite, Fen1: baseFen, Number: tier.Number));
        }

        SubsidyCategory? best = null;
        SubsidyCategory? needsAge = null;
        CategorySubsidy? bestSubsidy = null;
        var candidates = 0;
        if (regime is { Subsidies: LateSubsidyTreatment.Forfeited } && f.Categories.Count > 0)
        {
            steps.Add(new(ExplanationKind.LateSubsidyForfeited, regime.Cites[0].Citation));
        }
        else
        {
            foreach (var code in f.Categories)
            {
                var c = Resolve(p, code)!;
                if (IsExcluded(p, f, c))
                {
                    steps.Add(new(ExplanationKind.Excluded, c.ExclusionCites[0].Citation, Subject: c.Name));
                    continue;
                }

                if (c.Status == SubsidyStatus.NotStated)
                {
                    var cite = c.Cites[0].Citation;
                    steps.Add(new(ExplanationKind.CategoryNotStated, cite, Subject: c.Name));
                    return NotStated(cite);
                }

                if (c.Status == SubsidyStatus.NoSubsidy)
                {
                    steps.Add(new(ExplanationKind.CategoryNoSubsidy, c.Cites[0].Citation, Subject: c.Name));
                    continue;
                }

                if (c.Age is { } age)
                {
                    var ageCite = age.Cites[0].Citation;
                    if (f.BirthDate is not { } birth)
                    {
                        // Ask for the birth date only if this category could still be the most favourable one.
                        needsAge ??= c;
                        continue;
                    }

                    var years = AgeCondition.AgeOn(birth, paidOn);
                    if (!age.IsMet(birth, paidOn))
                    {
                        steps.Add(new(ExplanationKind.AgeConditionNotMet, ageCite, Number: years, Subject: c.Name));
                        continue;
                    }

                    steps.Add(new(ExplanationKind.AgeConditionMet, ageCite, Number: years, Subject: c.Name));
                }

                if (c.AtTier(tier.Number) is not { } s)
                {
                    continue;
                }

                candidates++;
                if (best is null || s.SubsidyFen > bestSubsidy!.SubsidyFen
                    || (s.SubsidyFen == bestSubsidy.SubsidyFen && p.PrecedenceOf(c.Code) < p.PrecedenceOf(best.Code)))
                {
                    best = c;
                    bestSubsidy = s;
                }
            }
        }

        if (needsAge is not null && needsAge.AtTier(tier.Number) is { } pending
            && (best is null || pending.SubsidyFen > bestSubsidy!.SubsidyFen
                || (pending.SubsidyFen == bestSubsidy.SubsidyFen && p.PrecedenceOf(needsAge.Code) < p.PrecedenceOf(best.Code))))
        {
            var ageCite = needsAge.Age!.Cites[0].Citation;
            steps.Add(new(ExplanationKind.NeedFact, ageCite, Subject: "出生日期"));
            return new(QuoteOutcome.MissingFact, 0, 0, null, SubsidyMode.None, 0, null, MissingFact.BirthDate, ageCite, QuoteGaps.None);
        }

        if (best is not null && candidates > 1)
        {
            steps.Add(new(ExplanationKind.HighestSubsidy, best.Cites[0].Citation, Subject: best.Name));
        }

        if (best is not null && college)
        {
            var cite = best.Cites[0].Citation;
            steps.Add(new(ExplanationKind.CollegeCategoryNotStated, cite));
            return NotStated(cite);
        }

        var mode = best?.Mode ?? SubsidyMode.None;
        if (best?.ModeWhenRiskCleared is { } clearedMode)
        {
            var cite = best.ModeCites[0].Citation;
            if (f.MonitoringRiskCleared is not { } cleared)
            {
                steps.Add(new(ExplanationKind.NeedFact, cite, Subject: "监测对象风险是否已消除"));
                return new(QuoteOutcome.MissingFact, 0, 0, null, SubsidyMode.None, 0, null, MissingFact.MonitoringRiskCleared, cite, QuoteGaps.None);
            }

            if (cleared)
            {
                mode = clearedMode;
                steps.Add(new(ExplanationKind.RiskClearedMode, cite));
            }
        }

        long fiscal = 0;
        var minimumApplies = false;
        if (regime is { ResidentPaysFiscalSubsidy: true })
        {
            // A regime's last citation is the clause that sets its price; the first sets its dates.
            var cite = regime.Cites[^1].Citation;
            if (best is not null)
            {
                if (best.LateFiscalExceptionCites.Count > 0)
                {
                    steps.Add(new(ExplanationKind.LateFiscalException, best.LateFiscalExceptionCites[0].Citation, Date1: regime.Period.From, Date2: regime.Period.To, Subject: best.Name));
                }
                else if (regime.Subsidies == LateSubsidyTreatment.NotStated)
                {
                    steps.Add(new(ExplanationKind.LateSubsidyNotStated, cite, Date1: regime.Period.From, Subject: best.Name));
                    return NotStated(cite);
                }
                else
                {
                    fiscal = p.FiscalSubsidyFen;
                    minimumApplies = true;
                }
            }
            else
            {
                if (college && !regime.CollegeRateStated)
                {
                    steps.Add(new(ExplanationKind.CollegeLateNotStated, cite, Date1: regime.Period.From));
                    return NotStated(cite);
                }

                fiscal = p.FiscalSubsidyFen;
                minimumApplies = true;
            }
        }

        var subsidy = bestSubsidy?.SubsidyFen ?? 0;
        var individual = best is null || mode == SubsidyMode.Reimbursed ? baseFen : bestSubsidy!.IndividualFen;
        var due = individual + fiscal;
        if (fiscal > 0)
        {
            steps.Add(new(ExplanationKind.FiscalSubsidySource, p.FiscalSubsidyCites[0].Citation, Fen1: fiscal));
            steps.Add(new(ExplanationKind.LateFiscal, regime!.Cites[^1].Citation, Date1: regime.Period.From, Fen1: fiscal, Fen2: due));
        }

        if (minimumApplies && regime!.MinimumFen is { } minimum)
        {
            steps.Add(new(ExplanationKind.LateMinimum, regime.Cites[^1].Citation, Fen1: minimum));
            due = Math.Max(due, minimum);
        }

        var gaps = QuoteGaps.None;
        string? funder = null;
        if (best is not null)
        {
            steps.Add(new(ExplanationKind.CategorySubsidy, best.Cites[0].Citation, Fen1: subsidy, Fen2: bestSubsidy!.IndividualFen, Number: tier.Number, Subject: best.Name));
            funder = best.Funder;
            if (funder is not null)
            {
                steps.Add(new(ExplanationKind.CategoryFunder, best.FunderCites[0].Citation, Subject: funder));
            }
            else
            {
                gaps |= QuoteGaps.Funder;
                steps.Add(new(ExplanationKind.FunderNotStated, (best.FunderCites.Count > 0 ? best.FunderCites[0] : best.Cites[0]).Citation, Subject: best.Name));
            }

            steps.Add(mode == SubsidyMode.Reimbursed
                ? new(ExplanationKind.ModeReimbursed, best.ModeCites[0].Citation, Fen1: baseFen, Fen2: subsidy)
                : new(ExplanationKind.ModeDirect, best.ModeCites[0].Citation, Fen1: individual));
        }

        return new(QuoteOutcome.Ok, due, subsidy, funder, best is null ? SubsidyMode.None : mode, fiscal, best?.Code, MissingFact.None, null, gaps);
    }

    private static Figures NotStated(Citation cite) =>
        new(QuoteOutcome.NotStated, 0, 0, null, SubsidyMode.None, 0, null, MissingFact.None, cite, QuoteGaps.None);

    /// <summary>Figures per offered tier; the tier already computed with steps is reused, not recomputed.</summary>
    private static TierOption[] Options(
        InsurancePolicy p, ResidentFacts f, LateRegime? regime, DateOnly paidOn, ReadOnlySpan<int> tiers,
        int? computedTier = null, in Figures computed = default)
    {
        var options = new TierOption[tiers.Length];
        for (var i = 0; i < tiers.Length; i++)
        {
            Figures figures;
            if (tiers[i] == computedTier)
            {
                figures = computed;
            }
            else
            {
                var silent = default(SilentSteps);
                figures = Compute(p, f, Tier(p, tiers[i]), regime, paidOn, ref silent);
            }

            var ok = figures.Outcome == QuoteOutcome.Ok;
            options[i] = new TierOption(tiers[i], figures.Outcome, ok ? figures.DueFen : null, ok ? figures.SubsidyFen : null, ok ? figures.Mode : SubsidyMode.None, figures.Category);
        }

        return options;
    }

    private static Citation BenefitCite(InsurancePolicy p, Schedule schedule, LateRegime? regime) => schedule switch
    {
        Schedule.Regime => regime!.Cites[0].Citation,
        Schedule.Freshman => p.College!.FreshmanCites[0].Citation,
        _ => p.BenefitPeriodCites[0].Citation,
    };

    private static Citation DeadlineCite(InsurancePolicy p, Schedule schedule, LateRegime? regime) => schedule switch
    {
        Schedule.Regime => regime!.Cites[^1].Citation,
        Schedule.Newborn => p.Newborn!.Cites[0].Citation,
        _ => p.CollectionWindowCites[0].Citation,
    };

    private static PolicyQuote CollegeTransition(InsurancePolicy p, ResidentFacts f, DateOnly paidOn, ref StepBuffer steps)
    {
        if (p.College is null)
        {
            var cite = p.Tiers[0].Cites[0].Citation;
            steps.Add(new(ExplanationKind.CollegeRuleMissing, cite));
            return Refusal(p, paidOn, f.Tier, QuoteOutcome.NotStated, cite, ref steps);
        }

        var cover = p.College.TransitionCover;
        steps.Add(new(ExplanationKind.CollegeTransition, p.College.TransitionCites[0].Citation, Date1: cover.From, Date2: cover.To));
        return new PolicyQuote
        {
            Policy = p,
            PaidOn = paidOn,
            Outcome = QuoteOutcome.AlreadyCovered,
            Tier = f.Tier,
            IndividualDueFen = 0,
            SubsidyFen = 0,
            SubsidyMode = SubsidyMode.None,
            Payable = false,
            NextPayableDate = null,
            BenefitStart = cover.From,
            BenefitEnd = cover.To,
            WaitingDays = 0,
            Options = [],
            Explanation = steps.ToArray(),
        };
    }

    private static PolicyQuote AfterAllWindows(InsurancePolicy p, ResidentFacts f, DateOnly paidOn, ref StepBuffer steps)
    {
        if (p.LateNotStatedCites.Count > 0)
        {
            var cite = p.LateNotStatedCites[0].Citation;
            steps.Add(new(ExplanationKind.LateNotStated, cite, Date1: p.CollectionWindow.To));
            if (paidOn <= p.BenefitPeriod.To && p.NationalWaitingPeriod is { } national)
            {
                // The notice is silent, the national layer speaks: its waiting period, cited, and that the concrete
                // standard is set locally (so the amount and the cover start stay with the bureau).
                return Refusal(p, paidOn, f.Tier, QuoteOutcome.NationalRule, NationalWaiting(p, national, ref steps), ref steps);
            }

            return Refusal(p, paidOn, f.Tier, QuoteOutcome.NotStated, cite, ref steps);
        }

        var last = p.LateRegimes[^1];
        var lastCite = last.Cites[^1].Citation;
        steps.Add(new(ExplanationKind.OutsideWindow, lastCite, Date1: last.Deadline ?? last.Period.To));
        return Refusal(p, paidOn, f.Tier, QuoteOutcome.OutsideWindow, lastCite, ref steps);
    }

    private static Citation NationalWaiting(InsurancePolicy p, NationalWaitingPeriod w, ref StepBuffer steps)
    {
        var layer = p.National.Last(l => ReferenceEquals(l.WaitingPeriod, w));
        var rule = w.Cites[0].Citation;
        steps.Add(new(ExplanationKind.NationalWaitingFixed, rule, Number: w.FixedMonths, Subject: layer.FromBenefitYear.ToString(CultureInfo.InvariantCulture)));
        steps.Add(new(ExplanationKind.NationalWaitingExceptions, rule, Subject: w.Exceptions));
        if (w.MonthsPerYearOfBreak > 0)
        {
            steps.Add(new(ExplanationKind.NationalWaitingPerYearOfBreak, rule, Number: w.MonthsPerYearOfBreak));
        }

        if (w.RepairMonthsPerYearPaid > 0)
        {
            steps.Add(new(ExplanationKind.NationalWaitingRepair, rule, Number: w.RepairMonthsPerYearPaid));
        }

        steps.Add(new(ExplanationKind.NationalWaitingFloor, rule, Number: w.FloorMonths, Subject: w.FloorFromBreakYears.ToString(CultureInfo.InvariantCulture)));
        var local = w.LocalStandardCites[0].Citation;
        steps.Add(new(ExplanationKind.NationalWaitingLocalStandard, local));
        return local;
    }

    private static PolicyQuote Refusal(
        InsurancePolicy p, DateOnly paidOn, int? tier, QuoteOutcome outcome, Citation cite, ref StepBuffer steps,
        MissingFact missing = MissingFact.None, TierOption[]? options = null)
    {
        var payable = IsPayableDay(p, paidOn);
        return new PolicyQuote
        {
            Policy = p,
            PaidOn = paidOn,
            Outcome = outcome,
            Tier = tier,
            Payable = payable && outcome != QuoteOutcome.OutsideWindow,
            NextPayableDate = outcome == QuoteOutcome.OutsideWindow ? null : (payable ? paidOn : NextPayableDay(p, paidOn.AddDays(1))),
            Missing = missing,
            DeferringClause = cite,
            Options = options ?? [],
            Explanation = steps.ToArray(),
        };
    }
}
