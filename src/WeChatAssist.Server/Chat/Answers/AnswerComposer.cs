using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Chat.Answers;

/// <summary>What the composer needs to answer one question.</summary>
/// <param name="Policy">The county's policy.</param>
/// <param name="Today">Business date.</param>
/// <param name="Format">Formatting for the answer language.</param>
/// <param name="Slots">Slots of this and earlier turns.</param>
/// <param name="Resident">The bound resident, or null.</param>
/// <param name="CoverageMarks">Words that make a policy fact a benefit (localization/chat/clause-words); null: every fact.</param>
internal sealed record AnswerContext(InsurancePolicy Policy, DateOnly Today, AnswerFormat Format, ChatSlots Slots, BoundResident? Resident, IReadOnlyList<string>? CoverageMarks = null);

/// <summary>Turns an intent and its slots into a template section and model. Every amount and date comes from a
/// <see cref="PolicyQuote"/> or the policy the engine loaded; nothing is computed here.</summary>
internal static partial class AnswerComposer
{
    /// <summary>Composes the answer to <paramref name="intent"/>.</summary>
    public static ComposedAnswer Compose(ChatIntent intent, AnswerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsPastCampaign(intent, context))
        {
            return PastCampaign(context);
        }

        // "2026年的医保交多少" asked of the 2025 notice: another benefit year, whose figures no loaded notice holds.
        if (context.Slots.BenefitYearAsked is { } asked && asked != context.Policy.BenefitYear && IsCampaignQuestion(intent))
        {
            var model = BaseModel(context);
            model["askedYear"] = asked;
            return new ComposedAnswer("year_not_loaded", model, [.. context.Policy.CollectionWindowCites.Select(c => c.Citation)], false);
        }

        // "刚生的娃儿要好久之内去办医保": how long a baby has is the newborn rule itself, whatever the reading; "刚生的娃儿
        // 要交医保 最迟啥时候" read as an amount: the baby's last day is the newborn rule's, so the birth date is asked,
        // as for the deadline readings below.
        if (intent is ChatIntent.AmountDue or ChatIntent.Deadline or ChatIntent.LatePayment or ChatIntent.WaitingPeriod
            && context.Slots.Newborn && context.Slots.BirthDate is null && context.Policy.Newborn is not null
            && (context.Slots.AsksWithin || intent == ChatIntent.AmountDue && context.Slots.AsksLastDay))
        {
            return Newborn(context);
        }

        // "有职工医保" in reply to whether his work insures him: he is not among those who enrol (the notice's 参保对象).
        if (context.Slots.InsuredAtWork == true)
        {
            var register = Register(context);
            register.Model["insuredAtWork"] = true;
            return register;
        }

        return intent switch
        {
            ChatIntent.AmountDue => Amount(context),
            ChatIntent.TierDifference => Tiers(context),
            // "12月26号交还来得及吗" is answered for that day: payable or not, what it costs, when cover starts.
            // "7月20号生的娃 哪天之前要去参保": a baby's last day is the newborn rule's, not the campaign's.
            ChatIntent.Deadline or ChatIntent.LatePayment or ChatIntent.WaitingPeriod when context.Slots.BirthDate is { } born && born > context.Today.AddYears(-1) && context.Policy.Newborn is not null => Newborn(context),
            // "刚生的娃最迟啥时候交" without the birth date: the last day depends on it, so it is asked (with the rule).
            ChatIntent.Deadline or ChatIntent.LatePayment or ChatIntent.WaitingPeriod when context.Slots.Newborn && context.Slots.BirthDate is null && context.Policy.Newborn is { } rule
                => AskBirthDate(context, rule),
            ChatIntent.Deadline when context.Slots.Date is not null => Late(ChatIntent.Deadline, context),
            // A freshman's days are his own (the notice's rule for students enrolling at entry): his quote says the
            // last day and the cover start, where the campaign's window would say neither for him.
            ChatIntent.Deadline when context.Slots.Freshman && context.Policy.College is not null => Late(ChatIntent.WaitingPeriod, context),
            ChatIntent.Deadline => Deadline(context),
            ChatIntent.LatePayment or ChatIntent.WaitingPeriod => Late(intent, context),
            ChatIntent.Newborn => Newborn(context),
            ChatIntent.Students => Students(context),
            ChatIntent.SubsidisedGroups => context.Slots.Categories.Count > 0 ? Amount(context) : Groups(context),
            ChatIntent.HowToPay => PayChannels(context),
            ChatIntent.HowToRegister => Register(context),
            ChatIntent.FixRegistration => FixRegistration(context),
            ChatIntent.PaymentStatus => Status(context),
            ChatIntent.Coverage => Coverage(context),
            ChatIntent.ContactPerson => Contacts(context),
            ChatIntent.Greeting => Plain("menu", context, fellBack: false),
            ChatIntent.Thanks => Plain("thanks", context, fellBack: false),
            ChatIntent.OutOfScope => Plain("out_of_scope", context, fellBack: true),
            _ => Plain("fallback", context, fellBack: true),
        };
    }

    /// <summary>A section that needs only the county and the contacts.</summary>
    public static ComposedAnswer Plain(string template, AnswerContext context, bool fellBack)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new ComposedAnswer(template, BaseModel(context), [], fellBack);
    }

    /// <summary>The clarifying question offering <paramref name="choices"/>.</summary>
    public static ComposedAnswer Clarify(AnswerContext context, IReadOnlyList<ChatIntent> choices)
    {
        var model = BaseModel(context);
        model["choices"] = choices.Select((c, i) => new Dictionary<string, object?> { ["number"] = i + 1, ["label"] = "label." + ChatIntents.Name(c) }).ToList();
        return new ComposedAnswer("clarify", model, [], true, ChatIntent.None, choices);
    }

    private static bool IsPastCampaign(ChatIntent intent, AnswerContext context) =>
        context.Today > context.Policy.BenefitPeriod.To && IsCampaignQuestion(intent);

    // The questions whose answer is a benefit year's figures or days.
    private static bool IsCampaignQuestion(ChatIntent intent) =>
        intent is ChatIntent.AmountDue or ChatIntent.TierDifference or ChatIntent.Deadline or ChatIntent.LatePayment
            or ChatIntent.WaitingPeriod or ChatIntent.Newborn or ChatIntent.Students or ChatIntent.SubsidisedGroups;

    private static ComposedAnswer PastCampaign(AnswerContext context)
    {
        var policy = context.Policy;
        var model = BaseModel(context);
        model["windowFrom"] = context.Format.Date(policy.CollectionWindow.From);
        model["windowTo"] = context.Format.Date(policy.CollectionWindow.To);
        model["benefitTo"] = context.Format.Date(policy.BenefitPeriod.To);
        model["nextYear"] = CampaignYear(policy, context.Today);
        return new ComposedAnswer("past_campaign", model, [.. policy.CollectionWindowCites.Select(c => c.Citation)], false);
    }

    /// <summary>The benefit year whose collection is under way (or next) on <paramref name="today"/>: the notice's
    /// window opens in the autumn before its benefit year, so on 2026-12-07 a county collecting from October collects
    /// for 2027.</summary>
    public static int CampaignYear(InsurancePolicy policy, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var opens = policy.CollectionWindow.From;
        var offset = policy.BenefitYear - opens.Year;
        var day = Math.Min(opens.Day, DateTime.DaysInMonth(today.Year, opens.Month));
        var thisYearsOpening = new DateOnly(today.Year, opens.Month, day);
        return today >= thisYearsOpening ? today.Year + offset : today.Year + offset - 1;
    }

    /// <summary>The condition that decides membership of the group named (disability grade, kind of veteran…).</summary>
    public static ComposedAnswer AskCondition(AnswerContext context, string question)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = BaseModel(context);
        model["question"] = context.Format.Text(question);
        return new ComposedAnswer("ask_condition", model, [], false, ChatIntent.AmountDue);
    }

    /// <summary>A sentence of the notice that answers the question, with its numbering.</summary>
    public static ComposedAnswer Clause(AnswerContext context, ClauseHit hit)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(hit);
        var model = BaseModel(context);
        model["sentence"] = context.Format.Quoted(hit.Sentence);
        List<Citation> citations = [hit.Clause.Citation];
        if (hit.Also is { } also)
        {
            model["alsoSentence"] = context.Format.Quoted(also.Sentence);
            citations.Add(also.Clause.Citation);
        }

        citations = [.. citations.Distinct()];
        model["cite"] = context.Format.Cite(context.Policy, citations);
        return new ComposedAnswer("clause", model, citations, false);
    }

    /// <summary>Several people with the same facts ("我们家五口人都交一档", "我和老伴都是低保"): one line per person and the
    /// total, each line the engine's quote.</summary>
    private static ComposedAnswer Household(AnswerContext context, int people)
    {
        if (context.Slots.Members.Count >= 2 && MixedHousehold(context) is { } mixed)
        {
            return mixed;
        }

        var facts = Facts(context);
        var (quote, movedFrom, onlyLastYearsPayers) = QuoteOn(context, facts, context.Slots.Date ?? context.Today);
        var single = QuoteAnswer(ChatIntent.AmountDue, new Quoted(quote, movedFrom, onlyLastYearsPayers), context);
        if (single.Template is not ("quote_ok" or "quote_options"))
        {
            return single;
        }

        var format = context.Format;
        var model = single.Model;
        var perTier = quote.IndividualDueFen is { } due
            ? [(quote.Tier, due)]
            : quote.Options.Where(o => o.IndividualDueFen is not null).Select(o => ((int?)o.Tier, o.IndividualDueFen!.Value)).ToList();
        model["people"] = people;
        model["persons"] = Enumerable.Range(1, people).Select(i => new Dictionary<string, object?>
        {
            ["number"] = i,
            ["amounts"] = perTier.Select(t => new Dictionary<string, object?> { ["tier"] = context.Policy.Tiers.Count > 1 ? t.Item1 : null, ["amount"] = format.Yuan(t.Item2) }).ToList(),
        }).ToList();
        model["totals"] = perTier.Select(t => new Dictionary<string, object?> { ["tier"] = context.Policy.Tiers.Count > 1 ? t.Item1 : null, ["amount"] = format.Yuan(t.Item2 * people) }).ToList();
        if (movedFrom is { } from)
        {
            model["movedFrom"] = format.Date(from);
        }

        return single with { Template = "household", PendingIntent = quote.IndividualDueFen is null ? ChatIntent.AmountDue : ChatIntent.None };
    }

    /// <summary>Members with different facts: each member's quote (one line per person) and the sum; a member whose
    /// quote needs a fact asks for it; null when a member's amount depends on a tier not said.</summary>
    private static ComposedAnswer? MixedHousehold(AnswerContext context)
    {
        var format = context.Format;
        var persons = new List<Dictionary<string, object?>>();
        var citations = new List<Citation>();
        long total = 0;
        ComposedAnswer? first = null;
        foreach (var member in context.Slots.Members)
        {
            var memberContext = context with { Slots = member.Slots with { Date = member.Slots.Date ?? context.Slots.Date, Members = [] } };
            var quoted = QuoteOn(memberContext, Facts(memberContext), memberContext.Slots.Date ?? context.Today);
            var quote = quoted.Quote;
            var single = QuoteAnswer(ChatIntent.AmountDue, quoted, memberContext);
            if (single.Template.StartsWith("ask_", StringComparison.Ordinal))
            {
                return single with { PendingIntent = ChatIntent.None };
            }

            if (single.Template != "quote_ok" || quote.IndividualDueFen is not { } due)
            {
                return null;
            }

            first ??= single;
            citations.AddRange(single.Citations);
            // A member named in a group whose condition he does not meet (低收入家庭, 40 years old) pays as everyone:
            // no group's name on his line.
            var label = quote.AppliedCategory is null ? null : single.Model.GetValueOrDefault("category") as string;
            for (var i = 0; i < member.Count; i++)
            {
                persons.Add(new Dictionary<string, object?>
                {
                    ["number"] = persons.Count + 1,
                    ["label"] = label,
                    ["amounts"] = new List<Dictionary<string, object?>> { new() { ["tier"] = context.Policy.Tiers.Count > 1 ? quote.Tier : null, ["amount"] = format.Yuan(due) } },
                });
                total += due;
            }
        }

        if (first is null)
        {
            return null;
        }

        var model = first.Model;
        model.Remove("category");
        model["people"] = persons.Count;
        model["persons"] = persons;
        model["totals"] = new List<Dictionary<string, object?>> { new() { ["tier"] = null, ["amount"] = format.Yuan(total) } };
        var distinct = citations.Distinct().ToList();
        model["cite"] = format.Cite(context.Policy, distinct);
        return first with { Template = "household", Citations = distinct, PendingIntent = ChatIntent.None };
    }

    /// <summary>Several groups asked about at once ("特困户和低保户各交多少"): one line per group, each the engine's quote
    /// for that group alone (every tier when none is said), never one group's figure for all. A group whose quote needs
    /// a fact asks it; null when a group's quote is not an amount (not in the county, not stated), so that no line
    /// stands in for it.</summary>
    private static ComposedAnswer? EachGroup(AnswerContext context)
    {
        var format = context.Format;
        var lines = new List<Dictionary<string, object?>>();
        var citations = new List<Citation>();
        ComposedAnswer? first = null;
        var open = false;
        foreach (var code in context.Slots.Categories)
        {
            var one = context with { Slots = context.Slots with { Categories = [code], EachGroup = false } };
            var quoted = QuoteOn(one, Facts(one), one.Slots.Date ?? context.Today);
            var single = QuoteAnswer(ChatIntent.AmountDue, quoted, one);
            if (single.Template.StartsWith("ask_", StringComparison.Ordinal))
            {
                return single with { PendingIntent = ChatIntent.AmountDue };
            }

            if (single.Template is not ("quote_ok" or "quote_options"))
            {
                return null;
            }

            var quote = quoted.Quote;
            var amounts = quote.IndividualDueFen is { } due
                ? [new Dictionary<string, object?> { ["tier"] = context.Policy.Tiers.Count > 1 ? quote.Tier : null, ["amount"] = format.Yuan(due) }]
                : quote.Options.Where(o => o.IndividualDueFen is not null)
                    .Select(o => new Dictionary<string, object?> { ["tier"] = o.Tier, ["amount"] = format.Yuan(o.IndividualDueFen!.Value) }).ToList();
            open |= quote.IndividualDueFen is null;
            lines.Add(new Dictionary<string, object?>
            {
                ["label"] = single.Model.GetValueOrDefault("category"),
                ["amounts"] = amounts,
                ["subsidy"] = single.Model.GetValueOrDefault("subsidy"),
                ["funder"] = single.Model.GetValueOrDefault("funder"),
                ["reimbursed"] = single.Model.GetValueOrDefault("reimbursed"),
                ["fullSubsidy"] = single.Model.GetValueOrDefault("fullSubsidy"),
            });
            first ??= single;
            citations.AddRange(single.Citations);
        }

        if (first is null)
        {
            return null;
        }

        var model = first.Model;
        foreach (var key in new[] { "category", "categoryScope", "amount", "tier", "options", "subsidy", "funder", "reimbursed", "fullSubsidy" })
        {
            model.Remove(key);
        }

        model["groups"] = lines;
        var distinct = citations.Distinct().ToList();
        model["cite"] = format.Cite(context.Policy, distinct);
        return first with { Template = "each_group", Citations = distinct, PendingIntent = open ? ChatIntent.AmountDue : ChatIntent.None };
    }

    /// <summary>The quote for paying on <paramref name="date"/>, or on the next day payment is taken when that day
    /// takes none (004 stops from the 26th): what the resident can actually do. A late regime open only to last
    /// year's payers (004 五、（二）) is the only way the notice gives to pay late: when the resident has not said, the
    /// answer is that regime's, with its condition stated (and the notice's silence on everyone else), not a question.</summary>
    private static Quoted QuoteOn(AnswerContext context, ResidentFacts facts, DateOnly date)
    {
        var quote = context.Policy.Quote(facts, date);
        DateOnly? movedFrom = null;
        if (!quote.Payable && quote.NextPayableDate is { } next && next > date && next <= context.Policy.BenefitPeriod.To)
        {
            quote = context.Policy.Quote(facts, next);
            movedFrom = date;
        }

        if (quote is { Outcome: QuoteOutcome.MissingFact, Missing: MissingFact.PaidLastYear } && facts.PaidLastYear is null)
        {
            var assumed = context.Policy.Quote(facts with { PaidLastYear = true }, quote.PaidOn);
            if (assumed.Outcome is QuoteOutcome.Ok or QuoteOutcome.MissingFact && assumed.Missing != MissingFact.PaidLastYear)
            {
                return new Quoted(assumed, movedFrom, OnlyLastYearsPayers: true);
            }
        }

        return new Quoted(quote, movedFrom, OnlyLastYearsPayers: false);
    }

    private static ComposedAnswer QuoteAnswer(ChatIntent intent, Quoted quoted, AnswerContext context)
    {
        var answer = QuoteAnswer(intent, quoted.Quote, context);
        if (quoted.MovedFrom is { } from)
        {
            answer.Model["movedFrom"] = context.Format.Date(from);
        }

        if (quoted.OnlyLastYearsPayers)
        {
            answer.Model["onlyLastYearsPayers"] = true;
        }

        return answer;
    }

    /// <summary>A quote as the answer gives it: the day it was moved from (a day taking no payments) and whether it is
    /// the late regime of last year's payers, assumed because the resident did not say.</summary>
    private readonly record struct Quoted(PolicyQuote Quote, DateOnly? MovedFrom, bool OnlyLastYearsPayers);

    private static ResidentFacts Facts(AnswerContext context, bool? newborn = null, StudentKind? student = null)
    {
        var slots = context.Slots;
        var resident = context.Resident;
        return new ResidentFacts
        {
            Categories = slots.Categories.Count > 0 ? slots.Categories : slots.Ordinary ? [] : resident?.Categories ?? [],
            Tier = slots.Tier,
            // "60多岁": at least that age on the business date, so born on or before that day that many years ago.
            BirthDate = slots.BirthDate ?? (slots.Age is { } age ? context.Today.AddYears(-age) : resident?.BirthDate),
            // A notice without a newborn rule quotes a baby as any resident ("刚生的小孩交多少": the one standard).
            Newborn = context.Policy.Newborn is null ? null : newborn ?? (slots.Newborn ? true : null),
            // A university outside Chongqing is not a 在渝高校: its student pays as any resident of the county.
            Student = student ?? (slots.Student == StudentKind.College && slots.CollegeInChongqing == false ? StudentKind.None
                : slots.Student != StudentKind.None ? slots.Student : resident?.Student ?? StudentKind.None),
            PaidLastYear = slots.PaidLastYear ?? resident?.PaidLastYear,
            MonitoringRiskCleared = slots.RiskCleared,
            // Only where the notice states a rule for freshmen does the engine use it; elsewhere the year's rule.
            CollegeFreshman = slots.Freshman && slots.CollegeInChongqing != false ? true : null,
        };
    }

    private static ComposedAnswer Amount(AnswerContext context)
    {
        if (context.Slots.People is { } people)
        {
            return Household(context, people);
        }

        if (context.Slots.EachGroup && EachGroup(context) is { } each)
        {
            return each;
        }

        var facts = Facts(context);
        var answer = QuoteAnswer(ChatIntent.AmountDue, QuoteOn(context, facts, context.Slots.Date ?? context.Today), context);

        // An ordinary answer invites the hardship categories; the follow-up "我是低保户" continues this question.
        var asksCategory = facts.Categories.Count == 0 && !context.Slots.Ordinary && context.Resident is null
            && facts.Student == StudentKind.None && facts.Newborn is null
            && answer.Template is "quote_ok" or "quote_options";
        if (asksCategory)
        {
            answer.Model["askCategory"] = true;
            answer.Model["categoryExamples"] = CategoryExamples(context);
        }

        // Still open while the category or the tier is unknown: a reply naming either continues this question.
        return asksCategory || answer.PendingIntent != ChatIntent.None || answer.Template == "quote_options"
            ? answer with { PendingIntent = ChatIntent.AmountDue }
            : answer;
    }

    private static ComposedAnswer Late(ChatIntent intent, AnswerContext context)
    {
        // "我和老伴现在补交一档 一共要多少": the late amount for each person, as for any household.
        if (intent is ChatIntent.LatePayment or ChatIntent.Deadline && context.Slots.People is { } people)
        {
            var household = Household(context, people);
            return household.PendingIntent != ChatIntent.None ? household with { PendingIntent = intent } : household;
        }

        var answer = QuoteAnswer(intent, QuoteOn(context, Facts(context), context.Slots.Date ?? context.Today), context);
        PeriodSoFar(answer, context);
        if (intent is ChatIntent.LatePayment or ChatIntent.WaitingPeriod && context.Slots.Date is null
            && context.Today <= context.Policy.CollectionWindow.To && answer.Template is "quote_ok" or "quote_options")
        {
            // Asked in the window about paying late: today's figures, then what applies after the window.
            var national = NationalRuleAnswer.FillAfterWindow(answer.Model, context.Policy, Facts(context), context.Format);
            if (national.Count > 0)
            {
                var citations = answer.Citations.Concat(national).Distinct().ToList();
                answer.Model["cite"] = context.Format.Cite(context.Policy, citations);
                answer = answer with { Citations = citations };
            }
        }

        return answer.PendingIntent != ChatIntent.None ? answer with { PendingIntent = intent } : answer;
    }

    /// <summary>"六月份交的" asked in June: the month so far is the period, so its first day and today (the latest the
    /// payment can have been) are both answered when cover starts on different days for them.</summary>
    private static void PeriodSoFar(ComposedAnswer answer, AnswerContext context)
    {
        if (!context.Slots.DateIsPeriod || context.Slots.Date is not { } from || from >= context.Today
            || from.Year != context.Today.Year || from.Month != context.Today.Month || answer.Template is not ("quote_ok" or "quote_options"))
        {
            return;
        }

        var first = context.Policy.Quote(Facts(context), from);
        var latest = context.Policy.Quote(Facts(context), context.Today);
        if ((latest.Outcome == QuoteOutcome.Ok || latest.Missing == MissingFact.Tier) && latest.Payable && latest.BenefitStart is { } start && start != first.BenefitStart)
        {
            answer.Model["periodLastPaidOn"] = context.Format.Date(context.Today);
            answer.Model["periodLastStart"] = context.Format.Date(start);
        }
    }

    /// <summary>The newborn rule's length and a question for the birth date: a newborn's days all count from it.</summary>
    private static ComposedAnswer AskBirthDate(AnswerContext context, NewbornRule rule)
    {
        var model = BaseModel(context);
        model["newbornRule"] = true;
        model["newbornDays"] = rule.Window.Unit == DurationUnit.Days ? rule.Window.Amount : null;
        model["newbornMonths"] = rule.Window.Unit == DurationUnit.Months ? rule.Window.Amount : null;
        var citations = rule.Cites.Select(c => c.Citation).Distinct().ToList();
        model["cite"] = context.Format.Cite(context.Policy, citations);
        return new ComposedAnswer("ask_birth_date", model, citations, false, ChatIntent.Newborn);
    }

    private static ComposedAnswer Newborn(AnswerContext context)
    {
        var policy = context.Policy;
        if (policy.Newborn is null)
        {
            return NotStatedTopic("newborn", context, policy.CategoryListCites);
        }

        // "刚生的娃最迟啥时候交" without the birth date: the last day counts from it, so it is asked (with the rule).
        if (context.Slots.BirthDate is null && context.Slots.AsksLastDay && !context.Slots.AsksWithin)
        {
            return AskBirthDate(context, policy.Newborn);
        }

        var answer = QuoteAnswer(ChatIntent.Newborn, QuoteOn(context, Facts(context, newborn: true), context.Slots.Date ?? context.Today), context);
        answer.Model["newbornRule"] = true;
        answer.Model["newbornDays"] = policy.Newborn.Window.Unit == DurationUnit.Days ? policy.Newborn.Window.Amount : null;
        answer.Model["newbornMonths"] = policy.Newborn.Window.Unit == DurationUnit.Months ? policy.Newborn.Window.Amount : null;
        var citations = answer.Citations.Concat(policy.Newborn.Cites.Select(c => c.Citation)).Distinct().ToList();
        answer = answer with { Citations = citations };
        answer.Model["cite"] = context.Format.Cite(policy, citations);
        // Without the birth date a quote's cover start would be a late payer's, not the baby's: the rule and the amounts.
        if (answer.Template == "ask_birth_date" || context.Slots.BirthDate is null && answer.Template is "quote_ok" or "quote_options")
        {
            // No birth date yet: the rule itself answers "多久之内"; the birth date, when given, adds the last day.
            return answer with { Template = "newborn_rule", PendingIntent = ChatIntent.Newborn };
        }

        return answer.PendingIntent != ChatIntent.None ? answer with { PendingIntent = ChatIntent.Newborn } : answer;
    }

    private static ComposedAnswer Students(AnswerContext context)
    {
        if (context.Slots.People is not null)
        {
            // "两个娃都在重庆读大学 一共好多": a household answer.
            return Amount(context);
        }

        var kind = context.Slots.Student != StudentKind.None ? context.Slots.Student : context.Resident?.Student ?? StudentKind.None;
        var policy = context.Policy;
        if (kind == StudentKind.None && policy.College is null && policy.Tiers.All(t => t.CollegeFen is null))
        {
            // One standard for every resident, students included ("学生医保多少钱" in 002): nothing to ask.
            return Amount(context);
        }

        if (kind == StudentKind.None)
        {
            return new ComposedAnswer("ask_student", BaseModel(context), [], false, ChatIntent.Students);
        }

        // "闺女在外地念大学 交好多": a university outside Chongqing is no 在渝高校; its student pays as any resident,
        // which the answer says (the notice's college rate is not his).
        if (kind == StudentKind.College && context.Slots.CollegeInChongqing == false && policy.Tiers.Any(t => t.CollegeFen is not null))
        {
            var elsewhere = Amount(context);
            elsewhere.Model["collegeElsewhere"] = true;
            return elsewhere;
        }

        if (kind == StudentKind.College && policy.College is null && policy.Tiers.All(t => t.CollegeFen is null))
        {
            // No rule of its own for university students: a student of the county pays its one standard, where the
            // notice says students enrol ("在校学生户籍所在地参保", 002 二).
            return Amount(context);
        }

        var answer = QuoteAnswer(ChatIntent.Students, QuoteOn(context, Facts(context, student: kind), context.Today), context);
        answer.Model[kind == StudentKind.College ? "college" : "school"] = true;
        answer.Model["collegeScope"] = kind == StudentKind.College && context.Slots.CollegeByName;
        return answer.PendingIntent != ChatIntent.None ? answer with { PendingIntent = ChatIntent.Students } : answer;
    }

    private static ComposedAnswer QuoteAnswer(ChatIntent intent, PolicyQuote quote, AnswerContext context)
    {
        var format = context.Format;
        var policy = context.Policy;
        var model = BaseModel(context);
        model[IntentKey(intent)] = true;
        model["paidOn"] = format.Date(quote.PaidOn);
        model["today"] = quote.PaidOn == context.Today;
        if (quote.IndividualDueFen is { } due)
        {
            model["amount"] = format.Yuan(due);
        }

        if (quote.SubsidyFen is > 0 and var subsidy)
        {
            model["subsidy"] = format.Yuan(subsidy);
            model["funder"] = quote.SubsidyFunder is { } funder ? format.Text(funder) : null;
            model["reimbursed"] = quote.SubsidyMode == SubsidyMode.Reimbursed;
            model["fullSubsidy"] = quote.SubsidyCoversAll;
            // "补完了最后自己落多少钱": what the resident bears once the subsidy is paid back.
            model["net"] = quote.SubsidyMode == SubsidyMode.Reimbursed && quote.IndividualDueFen is { } paid ? format.Yuan(Math.Max(0, paid - subsidy)) : null;
        }

        // "国家给补多少", "个人加国家总共多少": the year's fiscal subsidy per person and what one person's cover costs in
        // all, both from the policy the engine loaded; not when the resident pays the fiscal part himself (late).
        if (context.Slots.AsksSubsidy && policy.FiscalSubsidyFen > 0 && quote.IndividualDueFen is { } own && quote.FiscalSubsidyPaidByResidentFen == 0)
        {
            model["fiscal"] = format.Yuan(policy.FiscalSubsidyFen);
            model["fullCost"] = format.Yuan(own + (quote.SubsidyFen ?? 0) + policy.FiscalSubsidyFen);
        }

        if (quote.FiscalSubsidyPaidByResidentFen > 0)
        {
            model["fiscalPaid"] = format.Yuan(quote.FiscalSubsidyPaidByResidentFen);
        }

        // "大学生交一档比普通人少好多": what any resident pays that day at the same tier, and the gap, both from the engine;
        // with no tier ("在重庆读大学的跟我们交的一样多不"), each tier's amount for any resident beside the group's.
        var anyone = context.Slots.ComparedToOrdinary
            ? policy.Quote(Facts(context) with { Categories = [], Student = StudentKind.None, Newborn = null, CollegeFreshman = null, Tier = quote.Tier }, quote.PaidOn)
            : null;
        if (anyone is not null && quote.IndividualDueFen is { } mine)
        {
            if (anyone.IndividualDueFen is { } theirs && theirs != mine && anyone.AppliedCategory is null)
            {
                model["ordinaryAmount"] = format.Yuan(theirs);
                model["ordinaryGap"] = format.Yuan(Math.Abs(theirs - mine));
                model["lessThanOrdinary"] = mine < theirs;
            }
        }
        else if (anyone is not null && quote.Options.Any(o => o.IndividualDueFen is not null))
        {
            var theirs = anyone.Options.Where(o => o.IndividualDueFen is not null).ToList();
            if (anyone.AppliedCategory is null && theirs.Count > 0
                && theirs.Any(t => quote.Options.FirstOrDefault(o => o.Tier == t.Tier)?.IndividualDueFen != t.IndividualDueFen))
            {
                model["ordinaryOptions"] = theirs.Select(o => new Dictionary<string, object?> { ["tier"] = o.Tier, ["amount"] = format.Yuan(o.IndividualDueFen!.Value) }).ToList();
            }
        }

        if (quote.AppliedCategory is { } code && policy.FindCategoryByCode(code) is { } category)
        {
            model["category"] = format.CategoryName(category);
            model["categoryScope"] = format.CategoryScope(category);
        }
        else if (context.Slots.Categories.Count > 0 && policy.FindCategoryByCode(context.Slots.Categories[0]) is { } named)
        {
            model["category"] = format.CategoryName(named);
        }

        if (quote.Tier is { } tier && policy.Tiers.Count > 1)
        {
            model["tier"] = tier;
        }

        if (quote.Deadline is { } deadline)
        {
            model["deadline"] = format.Date(deadline);
            model["deadlineRelative"] = format.Relative(deadline, context.Today);
            model["deadlineToday"] = deadline == context.Today;
        }

        // "等到元旦以后交中不中" asked inside the window: the window's last day is said beside the late regime's.
        if (quote.PaidOn > policy.CollectionWindow.To && context.Today <= policy.CollectionWindow.To)
        {
            model["windowEnd"] = format.Date(policy.CollectionWindow.To);
        }

        // "是不是要等到九月二十号以后才能交" asked before the window opens: the day it opens.
        if (context.Today < policy.CollectionWindow.From && quote.PaidOn != policy.CollectionWindow.From)
        {
            model["windowStart"] = format.Date(policy.CollectionWindow.From);
        }

        // That the notice names no last day is said to whoever asks until when, not under every amount.
        model["noDeadline"] = quote.Gaps.HasFlag(QuoteGaps.Deadline) && (intent == ChatIntent.Deadline || context.Slots.AsksLastDay);
        model["payable"] = quote.Payable;
        if (!quote.Payable && quote.NextPayableDate is { } next)
        {
            model["nextPayable"] = format.Date(next);
        }

        if (quote.BenefitStart is { } start)
        {
            model["benefitStart"] = format.Date(start);
        }

        if (quote.BenefitEnd is { } end)
        {
            model["benefitEnd"] = format.Date(end);
        }

        model["noBenefitStart"] = quote.Gaps.HasFlag(QuoteGaps.BenefitStart);
        // The freshman rule's own words beside its dates: the start is the rule's, not this day's guess.
        model["freshman"] = quote.Explanation.Any(s => s.Kind == ExplanationKind.CollegeFreshman);
        if (quote.WaitingDays is > 0 and var waiting)
        {
            model["waitingDays"] = format.Days(waiting);
        }

        // "奖扶的政府资助好多钱" without a tier: each tier's subsidy beside its amount.
        var options = quote.Options
            .Where(o => o.IndividualDueFen is not null)
            .Select(o => new Dictionary<string, object?>
            {
                ["tier"] = o.Tier,
                ["amount"] = format.Yuan(o.IndividualDueFen!.Value),
                ["subsidy"] = context.Slots.AsksSubsidy && o.SubsidyFen is > 0 and var s ? format.Yuan(s) : null,
            })
            .ToList();
        model["options"] = options;
        model["windowFrom"] = format.Date(policy.CollectionWindow.From);
        model["windowTo"] = format.Date(policy.CollectionWindow.To);

        var citations = quote.Citations.ToList();
        var deferring = quote.DeferringClause;
        if (deferring is not null && !citations.Contains(deferring))
        {
            citations.Insert(0, deferring);
        }

        model["cite"] = format.Cite(policy, deferring is not null ? [deferring, .. citations] : citations);
        if (quote.Outcome == QuoteOutcome.NotStated && deferring is not null && policy.Clauses.FirstOrDefault(c => c.Id == deferring.ClauseId) is { } said)
        {
            // What the notice does say ("其资助标准按相关文件执行"): a "not stated" answer quotes it.
            model["deferring"] = DeferringText(said, format);
        }

        model["afterWindow"] = quote.PaidOn > policy.CollectionWindow.To;
        // A day after the window asked while it is still open: the window is not over yet.
        model["windowOver"] = context.Today > policy.CollectionWindow.To;
        var template = quote.Outcome switch
        {
            QuoteOutcome.Ok when quote.IndividualDueFen is null && options.Count > 0 => "quote_options",
            QuoteOutcome.Ok => "quote_ok",
            QuoteOutcome.MissingFact => quote.Missing switch
            {
                MissingFact.Tier when options.Count > 0 => "quote_options",
                MissingFact.PaidLastYear => "ask_paid_last_year",
                MissingFact.BirthDate => "ask_birth_date",
                MissingFact.MonitoringRiskCleared => "ask_risk_cleared",
                _ => "not_stated",
            },
            QuoteOutcome.NotStated => "not_stated",
            QuoteOutcome.CategoryNotInCounty => "category_not_in_county",
            QuoteOutcome.TierNotOffered => "tier_not_offered",
            QuoteOutcome.OutsideWindow => "outside_window",
            QuoteOutcome.NoCoverRemaining => "no_cover_remaining",
            QuoteOutcome.AlreadyCovered => "already_covered",
            QuoteOutcome.NationalRule => NationalRuleAnswer.Template,
            _ => "not_stated",
        };
        if (template == NationalRuleAnswer.Template)
        {
            NationalRuleAnswer.Fill(model, quote, format);
        }

        // "今年医保待遇从几号到几号" asked after the window: the year's cover of those who paid in it comes first.
        if (template is NationalRuleAnswer.Template or "outside_window" && context.Slots.AsksCover)
        {
            model["benefitFrom"] = format.Date(policy.BenefitPeriod.From);
            model["benefitTo"] = format.Date(policy.BenefitPeriod.To);
        }

        // "现在十月份了还补交得到不" after 001's last late day (2024-09-30): the notice did say until when.
        if (template == "outside_window" && LastLateDay(policy) is { } lastLate && quote.PaidOn > lastLate)
        {
            model["lateOver"] = format.Date(lastLate);
        }

        // "低保户交多少" where the notice defers the group's subsidy ("其资助标准按相关文件执行") and no tier is said: the
        // group's own clause is what the notice does say.
        if (template == "not_stated" && !model.ContainsKey("deferring")
            && (quote.AppliedCategory ?? (context.Slots.Categories.Count > 0 ? context.Slots.Categories[0] : null)) is { } deferred
            && policy.FindCategoryByCode(deferred) is { Status: SubsidyStatus.NotStated, Cites: [var groupClause, ..] })
        {
            model["deferring"] = DeferringText(groupClause, format);
        }

        var pending = template.StartsWith("ask_", StringComparison.Ordinal) ? intent : ChatIntent.None;
        return new ComposedAnswer(template, model, citations, false, pending) { Steps = quote.Explanation };
    }

    private static ComposedAnswer Tiers(AnswerContext context)
    {
        var facts = Facts(context) with { Tier = null };
        var quote = context.Policy.Quote(facts, context.Today);
        var answer = QuoteAnswer(ChatIntent.TierDifference, quote, context);
        if (answer.Template is "quote_ok" or "quote_options")
        {
            answer.Model["singleTier"] = context.Policy.Tiers.Count == 1;
            // "交二档比一档多好多钱": the gap between two tiers, from the engine's own amounts.
            var priced = quote.Options.Where(o => o.IndividualDueFen is not null).OrderBy(o => o.Tier).ToList();
            if (priced.Count == 2)
            {
                answer.Model["lowTier"] = priced[0].Tier;
                answer.Model["highTier"] = priced[1].Tier;
                answer.Model["tierGap"] = context.Format.Yuan(priced[1].IndividualDueFen!.Value - priced[0].IndividualDueFen!.Value);
            }

            return answer with { Template = "tiers" };
        }

        return answer;
    }

    // The last day any late regime takes payment (001: 2024-09-30), or null when none has one.
    private static DateOnly? LastLateDay(InsurancePolicy policy) =>
        policy.LateRegimes.Where(r => r.Deadline is not null).Select(r => r.Deadline).Max();

    // What a "not stated" answer quotes of the clause the notice defers by: the clause, or its first sentence when long.
    private static string DeferringText(PolicyClause clause, AnswerFormat format) =>
        format.Quoted(clause.Text.Length <= 90 ? clause.Text : ClauseIndex.Sentences(clause.Text)[0]);

    private static ComposedAnswer Deadline(AnswerContext context)
    {
        var policy = context.Policy;
        var window = policy.CollectionWindow;
        var facts = Facts(context);
        var quote = policy.Quote(facts, context.Today);
        var onlyLastYearsPayers = false;
        DateOnly? movedFrom = null;
        if (context.Today > window.To)
        {
            // After the window the question is late payment: on the first day that takes it (004 stops from the
            // 26th), and where only last year's payers may pay late (004 五、（二）) their figures with the condition said.
            (quote, movedFrom, onlyLastYearsPayers) = QuoteOn(context, facts, context.Today);
        }

        var answer = QuoteAnswer(ChatIntent.Deadline, quote, context);
        var model = answer.Model;
        model["onlyLastYearsPayers"] = onlyLastYearsPayers;
        model["movedFrom"] = movedFrom is { } from ? context.Format.Date(from) : null;
        model["stopDay"] = policy.NoPaymentFromDay;
        model["beforeWindow"] = context.Today < window.From;
        model["inWindow"] = window.Contains(context.Today);
        model["afterWindow"] = context.Today > window.To;
        // "今年医保多少钱 啥时候开始交": an amount asked beside the days is said too (after the window the late amount is).
        model["withAmount"] = context.Slots.AsksAmount && context.Today <= window.To && answer.Template is "quote_ok" or "quote_options";
        // "今年什么时候停止交费": after the window the notice may still take payments until a later last day (001 二、（四）).
        var lateRegimes = policy.LateRegimes.Where(r => r.Deadline is not null).ToList();
        var lastLate = LastLateDay(policy);
        // After the window too, while late payment is open: "最迟啥时候之前必须交" asks that last day.
        if (lastLate is { } open && context.Today <= open)
        {
            model["lateDeadline"] = context.Format.Date(open);
        }

        model["quoteTemplate"] = answer.Template;
        model["lateOk"] = answer.Template is "quote_ok" or "quote_options" && context.Today > window.To;
        // After the last late-payment day the notice did say something: late payment was possible until then.
        var lateOver = lastLate is { } last && context.Today > last;
        model["lateOver"] = lateOver && context.Today > window.To ? context.Format.Date(lastLate!.Value) : null;
        model["lateNotStated"] = !lateOver && answer.Template is "not_stated" or "outside_window" && context.Today > window.To;
        model["askPaidLastYear"] = answer.Template == "ask_paid_last_year" && context.Today > window.To;
        // The notice silent after the window and the national layer speaking (遂平 2025): after the window the national
        // rule is the answer; before its end, a line says what applies once it has passed.
        model["nationalAfter"] = answer.Template == NationalRuleAnswer.Template && context.Today > window.To;
        // ("今年啥时候开始交" asks when paying starts: what applies after the window is said to whoever asks until when.)
        IReadOnlyList<Citation> national = context.Today <= window.To && context.Slots.AsksLastDay ? NationalRuleAnswer.FillAfterWindow(model, policy, facts, context.Format) : [];
        var citations = policy.CollectionWindowCites.Select(c => c.Citation).Concat(policy.NoPaymentCites.Select(c => c.Citation))
            .Concat(context.Today <= window.To ? lateRegimes.SelectMany(r => r.Cites).Select(c => c.Citation).Take(1) : [])
            .Concat(answer.Citations).Concat(national).Distinct().ToList();
        model["cite"] = context.Format.Cite(policy, citations);
        // After the window the open question is late payment ("去年交了" then gets its amount and cover date).
        return new ComposedAnswer("deadline", model, citations, false, answer.PendingIntent == ChatIntent.None ? ChatIntent.None : ChatIntent.LatePayment);
    }

    private static ComposedAnswer Groups(AnswerContext context)
    {
        var policy = context.Policy;
        var format = context.Format;
        var model = BaseModel(context);
        var groups = new List<Dictionary<string, object?>>();
        var citations = new List<Citation>();
        foreach (var category in policy.Categories)
        {
            if (category.Status == SubsidyStatus.NoSubsidy || groups.Exists(g => (string?)g["name"] == format.CategoryName(category)))
            {
                continue;
            }

            var quote = policy.Quote(new ResidentFacts { Categories = [category.Code], Tier = 1, MonitoringRiskCleared = category.ModeWhenRiskCleared is null ? null : false }, context.Today);
            var amount = quote.Outcome == QuoteOutcome.Ok && quote.IndividualDueFen is { } due ? format.Yuan(due) : null;
            groups.Add(new Dictionary<string, object?> { ["name"] = format.CategoryName(category), ["amount"] = amount, ["tier"] = policy.Tiers.Count > 1 ? 1 : null });
            citations.AddRange(category.Cites.Select(c => c.Citation));
        }

        model["groups"] = groups;
        model["anyAmount"] = groups.Exists(g => g["amount"] is not null);
        // "2024年继续对15类特殊人员参保给予资助": the notice's own count of its groups leads the list.
        model["lead"] = policy.CategoryListCites.SelectMany(c => ClauseIndex.Sentences(c.Text)).FirstOrDefault(GroupCountPattern().IsMatch) is { } lead ? format.Text(lead) : null;
        model["cite"] = format.Cite(policy, citations);
        return new ComposedAnswer("groups", model, citations.Distinct().ToList(), false, ChatIntent.AmountDue);
    }

    private static ComposedAnswer PayChannels(AnswerContext context)
    {
        var policy = context.Policy;
        var format = context.Format;
        var model = BaseModel(context);
        if (!policy.PaymentChannelsStated)
        {
            return NotStatedTopic("channels", context, policy.Contacts.SelectMany(c => c.Cites));
        }

        model["channels"] = policy.PaymentChannels
            .Select(c => new Dictionary<string, object?> { ["name"] = format.Text(c.Name), ["description"] = format.Text(c.Description) })
            .ToList();
        var citations = policy.PaymentChannels.SelectMany(c => c.Cites).Select(c => c.Citation).Distinct().ToList();
        model["cite"] = format.Cite(policy, citations);
        return new ComposedAnswer("pay_channels", model, citations, false);
    }

    private static ComposedAnswer Register(AnswerContext context) =>
        OfficesFor("register", context, ["登记", "参保"], context.Policy.Facts.Where(f => f.Id == "eligibility"));

    private static ComposedAnswer FixRegistration(AnswerContext context) =>
        OfficesFor("fix_registration", context, ["修改", "变更", "错误", "信息"], []);

    private static ComposedAnswer OfficesFor(string template, AnswerContext context, string[] roleWords, IEnumerable<PolicyFact> facts)
    {
        var policy = context.Policy;
        var format = context.Format;
        var offices = policy.Contacts.Where(c => roleWords.Any(w => c.Role.Contains(w, StringComparison.Ordinal))).ToList();
        if (offices.Count == 0)
        {
            offices = [.. policy.Contacts];
        }

        var model = BaseModel(context);
        model["offices"] = offices.Select(o => ContactModel(o, format)).ToList();
        var factList = facts.ToList();
        model["facts"] = factList.Select(f => format.Text(f.Text)).ToList();
        var citations = offices.SelectMany(o => o.Cites).Concat(factList.SelectMany(f => f.Cites)).Select(c => c.Citation).Distinct().ToList();
        model["cite"] = format.Cite(policy, citations);
        return new ComposedAnswer(template, model, citations, false);
    }

    private static ComposedAnswer Status(AnswerContext context)
    {
        var model = BaseModel(context);
        if (context.Resident is not { } resident)
        {
            return new ComposedAnswer("status_unbound", model, [], false);
        }

        model["name"] = resident.Name;
        if (resident.PaidOn is { } paidOn)
        {
            model["paidOn"] = context.Format.Date(paidOn);
            model["paidAmount"] = resident.PaidFen is { } fen ? context.Format.Yuan(fen) : null;
            var quote = context.Policy.Quote(Facts(context), paidOn);
            if (quote.BenefitStart is { } start)
            {
                model["benefitStart"] = context.Format.Date(start);
            }

            model["cite"] = context.Format.Cite(context.Policy, quote.Citations);
            return new ComposedAnswer("status_paid", model, quote.Citations, false);
        }

        var due = Amount(context with { Slots = context.Slots with { Ordinary = resident.Categories.Count == 0 } });
        due.Model["unpaid"] = true;
        due.Model["name"] = resident.Name;
        return due with { Template = "status_unpaid", PendingIntent = ChatIntent.None };
    }

    private static ComposedAnswer Coverage(AnswerContext context)
    {
        var policy = context.Policy;
        // Only facts on what the insurance pays answer "能报多少" (a notice's work-funding fact does not).
        var marks = context.CoverageMarks ?? [];
        var facts = policy.Facts.Where(f => f.Id != "eligibility" && (marks.Count == 0 || marks.Any(m => f.Text.Contains(m, StringComparison.Ordinal)))).ToList();
        if (facts.Count == 0)
        {
            return NotStatedTopic("coverage", context, policy.Clauses.Take(1));
        }

        var model = BaseModel(context);
        model["facts"] = facts.Select(f => context.Format.Text(f.Text)).ToList();
        var citations = facts.SelectMany(f => f.Cites).Select(c => c.Citation).Distinct().ToList();
        model["cite"] = context.Format.Cite(policy, citations);
        return new ComposedAnswer("coverage", model, citations, false);
    }

    private static ComposedAnswer Contacts(AnswerContext context)
    {
        var policy = context.Policy;
        var model = BaseModel(context);
        var phones = policy.Contacts.Where(c => c.Phone is not null).ToList();
        model["phones"] = phones.Select(c => ContactModel(c, context.Format)).ToList();
        var citations = policy.Contacts.SelectMany(c => c.Cites).Select(c => c.Citation).Distinct().ToList();
        model["cite"] = context.Format.Cite(policy, citations);
        return new ComposedAnswer(phones.Count > 0 ? "contact_phones" : "contact_offices", model, citations, false);
    }

    private static ComposedAnswer NotStatedTopic(string topic, AnswerContext context, IEnumerable<PolicyClause> clauses)
    {
        var model = BaseModel(context);
        model["topic"] = "topic." + topic;
        var citations = clauses.Select(c => c.Citation).Distinct().Take(2).ToList();
        model["cite"] = context.Format.Cite(context.Policy, citations);
        return new ComposedAnswer("topic_not_stated", model, citations, false);
    }

    private static string IntentKey(ChatIntent intent) => "is_" + ChatIntents.Name(intent);

    private static string CategoryExamples(AnswerContext context) =>
        string.Join(context.Format.Language == ChatLanguage.English ? ", " : "、", context.Policy.Categories
            .Where(c => c.Status != SubsidyStatus.NoSubsidy)
            .Select(context.Format.CategoryName)
            .Distinct()
            .Take(3));

    private static Dictionary<string, object?> BaseModel(AnswerContext context)
    {
        var format = context.Format;
        return new Dictionary<string, object?>
        {
            ["county"] = format.Text(context.Policy.Name),
            ["year"] = context.Policy.BenefitYear,
            ["contacts"] = context.Policy.Contacts.Take(4).Select(c => ContactModel(c, format)).ToList(),
        };
    }

    private static Dictionary<string, object?> ContactModel(PolicyContact contact, AnswerFormat format) => new()
    {
        ["name"] = format.Text(contact.Name),
        ["phone"] = contact.Phone,
        ["role"] = format.Text(contact.Role),
    };

    // A count of groups in the notice's words ("15类特殊人员").
    [System.Text.RegularExpressions.GeneratedRegex(@"\d+类")]
    private static partial System.Text.RegularExpressions.Regex GroupCountPattern();
}
