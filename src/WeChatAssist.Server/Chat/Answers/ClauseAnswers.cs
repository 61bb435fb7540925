using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Chat.Answers;

/// <summary>Chooses between a computed answer and the notice's own clause: the clause answers what the notice says
/// in words (who pays for whom, what to bring, which office decides, whether cash is taken), the policy engine what it
/// computes (amounts, dates). "Not stated" stands only when neither a rule nor a clause covers the question.</summary>
internal sealed partial class ClauseAnswers(ChatUnderstanding understanding, ChatOptions options)
{
    // A clause found through common words only (交, 医保, 参保: in a large share of a notice's sentences) does not answer.
    private const double DistinctiveIdf = 2.0;

    // Answers that are not the policy's: no clause replaces or follows them.
    private static readonly HashSet<string> OwnAnswers = new(StringComparer.Ordinal)
    {
        "clause", "menu", "thanks", "language_switched", "subscribed", "unsubscribed", "subscribed_window_over", "clarify", "out_of_scope",
    };

    /// <summary>The clause answer that replaces <paramref name="composed"/> (null: keep it): when no computed answer
    /// fits (fallback, "not stated", the list of groups for a group not named), when a list answer (offices,
    /// channels) does not rest on the clause the words point to, or when the message asks words and no amount or date.</summary>
    public ComposedAnswer? Instead(UnderstoodMessage understood, AnswerContext context, ChatIntent intent, ComposedAnswer? composed)
    {
        ArgumentNullException.ThrowIfNull(understood);
        ArgumentNullException.ThrowIfNull(context);
        // The phone numbers the notice lists are themselves the answer to "X的电话多少": no sentence replaces them.
        if (IsDeclined(understood, intent, context.Policy) || composed?.Template is "clause" or "contact_phones")
        {
            return null;
        }

        // "全县今年要收够多少人", "社区那块任务多少人": a head-count of the task table, not money.
        if (Target(understood, context) is { } target)
        {
            return target;
        }

        var words = understanding.ClauseWords;
        // A tier said ("交一档好多") or an amount to confirm ("还是交400") asks what it costs.
        // "老人要多少岁才有补贴" asks an age, not money.
        var figureText = AgeAskPattern().Replace(understood.Canonical, string.Empty);
        // ("跟我们交的一样多不": a group's amount set against any resident's is asked.)
        var asksComputed = words.AsksComputed(figureText) || understood.Slots.Tier is not null || understood.Slots.AmountFen is not null || understood.Slots.ComparedToOrdinary
            // "娃儿在县里上学 交学生医保好多": an amount asked for someone the message describes.
            // ("脱贫户参保率要求多少" asks a rate, not money).
            || AskedFigure.Amount().IsMatch(figureText) && !understood.Canonical.Contains('率', StringComparison.Ordinal)
                && (understood.Slots.HasResidentFacts || understood.Slots.Student != Policy.StudentKind.None);
        var asksWords = words.AsksWords(understood.Canonical) && !asksComputed;
        var computed = composed is not null && composed.Template is not ("fallback" or "not_stated" or "topic_not_stated" or "menu");
        var hit = understanding.Clauses.Find(understood, context.Policy);
        if (hit is not null && IsBenefitLevelNotStated(understood, intent, composed, hit, namingCover: false))
        {
            return null;
        }

        // "哪些人交医保有补助": the list of groups computed from the notice's list itself says more than one sentence of it.
        if (hit is not null && composed?.Template == "groups" && (context.Policy.CategoryListCites.Any(c => c.Id == hit.Clause.Id) || WhichGroupsPattern().IsMatch(understood.Canonical)))
        {
            return null;
        }

        // Nothing computed fits (fallback, "not stated"), or only a list (offices, channels): a clause the words
        // plainly point to is the better answer.
        // ("农行卡能交不": two close readings, paying late and how to pay, and no figure asked: the words reading's bar.)
        var lenient = asksWords || composed is not null && (!computed || IsWordsIntent(intent))
            || composed is null && understood.Prediction.Ambiguous && !AsksFigure(understood)
                && (IsWordsIntent(understood.Prediction.Intent) || IsWordsIntent(understood.Prediction.RunnerUp));
        // With no reading at all, a clause none of whose own words the message shares does not answer it, however like
        // one of its residents' questions the message is ("你叫什么名字" ~ "那个公众号叫啥名字").
        if (composed is null && hit is not null && hit.NoticeMatched < options.ClauseNotStatedMinimumMatched)
        {
            return null;
        }

        if (hit is null || !Answers(hit, lenient) && !(composed?.Template is "not_stated" or "topic_not_stated" && Answers(hit, options.ClauseNotStatedMinimumMatched)))
        {
            return null;
        }

        // A message much like a question residents ask of this clause in words ("五保户那个补助钱是哪个出的": most of its
        // words are in one such question) is answered by the clause, whatever the computed reading, unless an amount
        // or a date is asked (or a condition that decides the group is to be asked first). A payment-status reading
        // ("我家交了没有": the resident's own record, or how to bind) is never replaced.
        if (!asksComputed && IsLikeExample(hit) && intent != ChatIntent.PaymentStatus
            && !AskedFigure.Amount().IsMatch(understood.Canonical) && !TimeAskPattern().IsMatch(understood.Canonical) && understood.Slots.Date is null
            && composed?.Template.StartsWith("ask_", StringComparison.Ordinal) != true
            // "为什么现在交比之前贵这么多": the figure is the engine's, the reason follows it as a note; so is a group's
            // ("我是脱贫户 交医保要自己掏钱不": its quote, its own clause after it).
            && !(WhyPattern().IsMatch(understood.Canonical) && composed?.Template.StartsWith("quote_", StringComparison.Ordinal) == true)
            && !IsGroupAnswer(understood, composed))
        {
            return AnswerComposer.Clause(context, hit);
        }

        // Two close readings with an amount or a date asked: the better reading is the engine's to answer; so is an
        // amount the engine finds not stated ("低保户交多少钱" where the notice defers to other documents: its
        // "not stated" quote already says what the notice does say, and a clause must not state an amount).
        if (asksComputed && composed?.Template is null or "not_stated")
        {
            return null;
        }

        if (!computed && !IsGroupAnswer(understood, composed))
        {
            return AnswerComposer.Clause(context, hit);
        }

        // An amount or a date asked is the engine's answer; a clause may only follow it as a note.
        if (asksComputed)
        {
            return null;
        }

        if (asksWords)
        {
            // "特困人员的医保谁给出钱": the quote for the group named stays and the clause follows it as a note;
            // "谁负责收医保": the clause's sentence is the answer.
            // ("冬月再交中不中 会不会过期了": a day said is a fact the quote answers for.)
            // ("大学生参保为啥改成一年一年的了": a clause holding nearly all the words, which the quote does not rest on,
            // answers the why; the group's amount was not asked.)
            var strong = hit.Matched >= StrongMatch && understood.Slots.Date is null && !composed!.Citations.Any(c => c.ClauseId == hit.Clause.Id);
            return !strong && (composed!.Template.StartsWith("quote_", StringComparison.Ordinal) || composed.Template == NationalRuleAnswer.Template) && (understood.Slots.HasResidentFacts || understood.Slots.Date is not null || understood.Slots.Student != Policy.StudentKind.None || WhyPattern().IsMatch(understood.Canonical)) ? null : AnswerComposer.Clause(context, hit);
        }

        // A figure computed for a question that asks none ("村卫生室的医生会讲医保政策吗" read as an amount question):
        // the message names no group, tier, person or day and asks no amount, day or length of time, so an amount or
        // a deadline answers something else; a clause most of whose words the message shares answers what was asked.
        if (!IsWordsIntent(intent) && !AsksFigure(understood) && Answers(hit, asksWords: false)
            && !composed!.Citations.Any(c => c.ClauseId == hit.Clause.Id)
            && composed.Template is "quote_ok" or "quote_options" or "deadline" or "late" or "tiers" or "groups")
        {
            return AnswerComposer.Clause(context, hit);
        }

        // A list answer (offices, channels) or a question back stands when it already rests on the clause found;
        // otherwise the clause the words point to says more precisely what was asked. (A group's own quote stands:
        // its clause follows it as a note.)
        return IsWordsIntent(intent) && !composed!.Citations.Any(c => c.ClauseId == hit.Clause.Id) && (Answers(hit, asksWords: false) || !composed.Template.StartsWith("ask_", StringComparison.Ordinal))
            && !IsGroupAnswer(understood, composed)
            ? AnswerComposer.Clause(context, hit)
            : null;
    }

    /// <summary>The clause sentence added under a computed answer: the one the question's words point to when the
    /// answer does not rest on it ("为啥过了六月交要多交那么多钱" → the amount and the sentence on the fiscal subsidy), or
    /// when the message asks words beside an amount or a date; null when none.</summary>
    public ComposedAnswer? Note(UnderstoodMessage understood, AnswerContext context, ChatIntent intent, ComposedAnswer composed)
    {
        ArgumentNullException.ThrowIfNull(understood);
        ArgumentNullException.ThrowIfNull(composed);
        if (composed.FellBack || OwnAnswers.Contains(composed.Template) || composed.Template.StartsWith("ask_", StringComparison.Ordinal) || IsDeclined(understood, intent, context.Policy))
        {
            return null;
        }

        // A message of facts only ("8月10号交", "我是低保") says nothing a clause could answer beyond the computed answer.
        if (understood.Slots.ResidueLength <= 2)
        {
            return null;
        }

        // "一月份交的好久能用", "七月份才交 是不是要多交钱": the late-payment rule the figure comes from, in the notice's
        // own sentence, when the message asks about what that rule decides.
        if ((LateRuleNote(understood, context, composed) ?? ShareNote(understood, context, composed)) is { } rule)
        {
            return rule;
        }

        // "为啥过了六月交要多交那么多钱": the reason is in the clauses the computed figure rests on; their sentence the
        // words point to most is said under it.
        var asksWhy = WhyPattern().IsMatch(understood.Canonical);
        if (asksWhy
            && understanding.Clauses.FindWithin(understood, context.Policy, composed.Citations.Select(c => c.ClauseId).ToHashSet(StringComparer.Ordinal)) is { } reason
            && !Quotes(composed, reason.Sentence))
        {
            return AnswerComposer.Clause(context, reason with { Also = null }) with { Template = "clause_note" };
        }

        var hit = understanding.Clauses.Find(understood, context.Policy);
        // A message of one content word ("我交了没有": 交) is like too many clauses for one of them to follow the answer.
        if (hit is null || hit.SaidWords < 2 || IsBenefitLevelNotStated(understood, intent, composed, hit, namingCover: true))
        {
            return GroupNote(understood, context, composed);
        }

        // "我是脱贫户 交医保要自己掏钱不": a sentence about other groups ("特困人员、监测人员…免征代缴") does not follow the
        // quote of the group named; the group's own sentence does.
        if (understood.Slots.Categories.Count > 0 && !NamesGroup(context.Policy, understood, hit.Sentence) && NamesOtherGroup(context.Policy, understood, hit.Sentence)
            && GroupNote(understood, context, composed) is { } own)
        {
            return own;
        }

        // A sentence the answer already quotes (001's deferral "按相关文件执行") is not said twice.
        if (Quotes(composed, hit.Sentence))
        {
            return GroupNote(understood, context, composed);
        }

        var asksWords = understanding.ClauseWords.AsksWords(understood.Canonical);
        var cited = composed.Citations.Any(c => c.ClauseId == hit.Clause.Id);
        // A clause the answer cites but does not quote, matched by nearly every word ("特困人员要自己去交医保吗" →
        // 免征代缴), is quoted when it states no figure of its own (amounts and dates are the engine's).
        var quoted = hit.Matched >= options.ClauseQuoteMinimumMatched && !hit.Sentence.Any(char.IsAsciiDigit);
        // A why-question: the engine gives the figure, the clause the reason, even when the answer cites it.
        var noted = Answers(hit, asksWords: false) && (!cited || quoted)
            || (asksWords || asksWhy) && Answers(hit, asksWords: true);
        return noted ? AnswerComposer.Clause(context, hit) with { Template = "clause_note" } : GroupNote(understood, context, composed);
    }

    // The row of the place named (its name, or the name without 镇/乡/街道/风景区), else the table's total.
    private static ComposedAnswer? Target(UnderstoodMessage understood, AnswerContext context)
    {
        var text = understood.Canonical;
        // ("每个乡要收多少人是咋定的" asks how the figure is set, which a clause says.)
        if (context.Policy.Targets.Count == 0 || !HeadCountPattern().IsMatch(text) || HowSetPattern().IsMatch(text))
        {
            return null;
        }

        foreach (var table in context.Policy.Targets.Where(t => t.Cites.Count > 0))
        {
            var row = table.Rows.Where(r => text.Contains(r.Name, StringComparison.Ordinal)).MaxBy(r => r.Name.Length)
                ?? table.Rows.Where(r => Stem(r.Name) is { Length: >= 2 } stem && text.Contains(stem, StringComparison.Ordinal))
                    .MaxBy(r => r.Name.Length - Stem(r.Name).Length is var cut && cut > 0 && text.Contains(r.Name[^Math.Min(2, cut)..], StringComparison.Ordinal) ? 1 : 0);
            if (row is null && !TargetWordPattern().IsMatch(text))
            {
                continue;
            }

            var hit = new ClauseHit(table.Cites[0], ClauseIndex.TargetSentence(table, row), 0, 0);
            return AnswerComposer.Clause(context, hit);
        }

        return null;
    }

    private static string Stem(string name)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["风景区", "街道", "镇", "乡"])
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal))
            {
                return name[..^suffix.Length];
            }
        }

        return name;
    }

    // A number of people asked ("多少人", "好多人", "人数").
    [System.Text.RegularExpressions.GeneratedRegex(@"(?:多少|好多|几多|几)个?人(?!员)|多少户|人数|任务数")]
    private static partial System.Text.RegularExpressions.Regex HeadCountPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:咋|怎么|如何|咋个|怎样)(?:个)?(?:定|算|分|来的)|依据|根据|为啥|为什么|按啥|按什么")]
    private static partial System.Text.RegularExpressions.Regex HowSetPattern();

    // The task itself: a target, what must be collected, or the whole county.
    [System.Text.RegularExpressions.GeneratedRegex(@"任务|目标|指标|要收|收够|收多少|全县|全镇|全乡|全区|一共要|总共要|总数")]
    private static partial System.Text.RegularExpressions.Regex TargetWordPattern();

    /// <summary>The notice's sentence on a university freshman's cover (from the day after payment), with the sentence
    /// it continues when that one names the students it is for; null where the notice has no such rule.</summary>
    public ComposedAnswer? FreshmanRule(AnswerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var quote = AnswerComposer.Compose(ChatIntent.LatePayment, context with { Slots = context.Slots with { CollegeInChongqing = true } });
        var ruled = quote.Steps.Where(s => s.Kind == ExplanationKind.CollegeFreshman).Select(s => s.Citation.ClauseId).FirstOrDefault();
        if (ruled is null
            || context.Policy.Clauses.FirstOrDefault(c => c.Id == ruled) is not { } clause
            || understanding.ClauseWords.LateRules.GetValueOrDefault("freshman").Marks is not { Length: > 0 } marks)
        {
            return null;
        }

        return FirstSentence(clause, s => marks.Any(m => s.Contains(m, StringComparison.Ordinal)), withContinued: true) is { } sentence
            ? AnswerComposer.Clause(context, new ClauseHit(clause, sentence, 0, 0))
            : null;
    }

    // "返贫致贫的给补百分之多少", "残疾二级的补几成", "残疾证二级的 给补好多": the share the notice states for the group named, in its own
    // sentence under the amount (the engine's figures are the share applied).
    private ComposedAnswer? ShareNote(UnderstoodMessage understood, AnswerContext context, ComposedAnswer composed)
    {
        // ("财政补助那部分谁出" asks who pays, which another sentence says.)
        if (understood.Slots.Categories.Count == 0
            || !(AskedFigure.Share().IsMatch(understood.Canonical) || understood.Slots.AsksSubsidy && !understanding.ClauseWords.AsksWords(understood.Canonical)))
        {
            return null;
        }

        var groups = NamedGroups(context.Policy, understood);
        var own = groups.SelectMany(c => c.Cites).ToList();
        string[] names = [.. GroupNames(groups).Where(n => n.Length >= 2)];
        foreach (var clause in own)
        {
            if (FirstSentence(clause, s => (s.Contains('%') || s.Contains('％')) && names.Any(n => s.Contains(n, StringComparison.Ordinal))) is { } sentence
                && !Quotes(composed, sentence))
            {
                return NoteOf(context, clause, sentence);
            }
        }

        return null;
    }

    private ComposedAnswer? LateRuleNote(UnderstoodMessage understood, AnswerContext context, ComposedAnswer composed)
    {
        // "哪天以后交就要自己出财政那部分钱": from when the fiscal rule applies, asked on a day it does not yet: the
        // notice's sentence stating it (with the day it starts) under the day's figures, before any other rule the
        // day's quote applies ("从什么时候开始补交要多交钱" asks the fiscal rule, not the waiting period).
        if (AskedFigure.StartDay().IsMatch(understood.Canonical) && LateCostPattern().IsMatch(understood.Canonical)
            && !composed.Steps.Any(s => LateRule(s.Kind) == "fiscal")
            && understanding.ClauseWords.LateRuleMarks("fiscal", understood.Canonical) is { } fiscalMarks
            && context.Policy.LateRegimes.FirstOrDefault(r => r.ResidentPaysFiscalSubsidy) is { Cites.Count: > 0 } regime
            && context.Policy.Clauses.FirstOrDefault(c => c.Id == regime.Cites[^1].Citation.ClauseId) is { } ruled
            && RuleSentence(ruled, fiscalMarks) is { } fiscalRule
            && !Quotes(composed, fiscalRule))
        {
            return NoteOf(context, ruled, fiscalRule);
        }

        // "是不是政府就不补贴了": that the late payer loses the subsidy, in the sentence of the fiscal regime's clauses
        // saying so (001 三、（一） 不享受财政补助), before what he pays.
        if (composed.Steps.Any(s => LateRule(s.Kind) == "fiscal")
            && understanding.ClauseWords.LateRuleMarks("fiscalWithheld", understood.Canonical) is { } withheldMarks
            && context.Policy.LateRegimes.FirstOrDefault(r => r.ResidentPaysFiscalSubsidy) is { } fiscalRegime)
        {
            foreach (var cite in fiscalRegime.Cites)
            {
                if (context.Policy.Clauses.FirstOrDefault(c => c.Id == cite.Citation.ClauseId) is { } cited
                    && RuleSentence(cited, withheldMarks) is { } withheld && !Quotes(composed, withheld))
                {
                    return NoteOf(context, cited, withheld);
                }
            }
        }

        foreach (var step in composed.Steps)
        {
            if (LateRule(step.Kind) is not { } rule
                || understanding.ClauseWords.LateRuleMarks(rule, understood.Canonical) is not { } marks
                || context.Policy.Clauses.FirstOrDefault(c => c.Id == step.Citation.ClauseId) is not { } clause)
            {
                continue;
            }

            if (RuleSentence(clause, marks) is { } sentence && !Quotes(composed, sentence))
            {
                return NoteOf(context, clause, sentence);
            }
        }

        return null;
    }

    // The first sentence of the clause holding one of the marks (the first mark found wins).
    private static string? RuleSentence(PolicyClause clause, string[] marks) =>
        marks.Select(m => FirstSentence(clause, s => s.Contains(m, StringComparison.Ordinal))).FirstOrDefault(s => s is not null);

    // The clause's first sentence that holds; with the sentence it continues (one ending in a
    // semicolon, which names whom the rule is for) when asked.
    private static string? FirstSentence(PolicyClause clause, Func<string, bool> holds, bool withContinued = false)
    {
        var sentences = ClauseIndex.Sentences(clause.Text);
        for (var at = 0; at < sentences.Count; at++)
        {
            if (holds(sentences[at]))
            {
                return withContinued && at > 0 && sentences[at - 1][^1] is '；' or ';' ? sentences[at - 1] + sentences[at] : sentences[at];
            }
        }

        return null;
    }

    // A sentence of the notice said under a computed answer.
    private static ComposedAnswer NoteOf(AnswerContext context, PolicyClause clause, string sentence) =>
        AnswerComposer.Clause(context, new ClauseHit(clause, sentence, 0, 0)) with { Template = "clause_note" };

    // Paying more, or the fiscal part, oneself ("要多交钱", "自己出财政那部分"): not a group's subsidy starting.
    [System.Text.RegularExpressions.GeneratedRegex(@"多交|多出|多要|多掏|全额|自己出|自己掏|自己交|财政|贵|那么多|这么多|恁多")]
    private static partial System.Text.RegularExpressions.Regex LateCostPattern();

    // The late-payment rules a quote's step applies, by their name in clause-words' lateRules.
    private static string? LateRule(ExplanationKind kind) => kind switch
    {
        ExplanationKind.LateNextMonthFirst => "nextMonth",
        ExplanationKind.LateWaitingDaysFromNextDay or ExplanationKind.LateWaitingDaysFromSameDay or ExplanationKind.LateWaitingMonths => "waiting",
        ExplanationKind.LateFiscal or ExplanationKind.LateFiscalAnyTier or ExplanationKind.LateSubsidyForfeited or ExplanationKind.LateMinimum => "fiscal",
        _ => null,
    };

    // "吃低保的医保县里管不管", "返贫了的补几成", "艾滋病人参保有没有照顾 这个谁来认定": a group named and words asked
    // about it, not a figure: under its amount, the group's own clause sentence the words point to (who recognises
    // it, what share is paid, how it is paid).
    private ComposedAnswer? GroupNote(UnderstoodMessage understood, AnswerContext context, ComposedAnswer composed)
    {
        if (understood.Slots.Categories.Count == 0 || AskedFigure.Amount().IsMatch(understood.Canonical) || TimeAskPattern().IsMatch(understood.Canonical))
        {
            return null;
        }

        var groups = NamedGroups(context.Policy, understood);
        var own = groups.SelectMany(c => c.Cites).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        string[] names = [.. GroupNames(groups)];
        return understanding.Clauses.FindWithin(understood, context.Policy, own, names) is { } hit
            && !Quotes(composed, hit.Sentence)
            ? AnswerComposer.Clause(context, hit with { Also = null }) with { Template = "clause_note" }
            : null;
    }

    // The groups the message names, as the notice defines them.
    private static List<SubsidyCategory> NamedGroups(InsurancePolicy policy, UnderstoodMessage understood) =>
        [.. understood.Slots.Categories.Select(policy.FindCategoryByCode).OfType<SubsidyCategory>()];

    // A group's names in the notice: its own (without the parenthesised gloss) and its aliases.
    private static IEnumerable<string> GroupNames(IEnumerable<SubsidyCategory> groups) =>
        groups.SelectMany(c => c.Aliases.Prepend(c.Name.Split('（')[0]));

    // Whether the sentence names one of the groups the message names.
    private static bool NamesGroup(InsurancePolicy policy, UnderstoodMessage understood, string sentence) =>
        GroupNames(NamedGroups(policy, understood)).Any(n => n.Length >= 2 && sentence.Contains(n, StringComparison.Ordinal));

    // Whether the sentence names a group of the notice the message does not name.
    private static bool NamesOtherGroup(InsurancePolicy policy, UnderstoodMessage understood, string sentence) =>
        policy.Categories.Where(c => !understood.Slots.Categories.Contains(c.Code))
            .Any(c => c.Name.Split('（')[0] is { Length: >= 2 } name && sentence.Contains(name, StringComparison.Ordinal));

    /// <summary>Whether the message is another county's or another scheme's question, which no clause answers.</summary>
    public bool IsForeign(UnderstoodMessage understood, AnswerContext context)
    {
        ArgumentNullException.ThrowIfNull(understood);
        ArgumentNullException.ThrowIfNull(context);
        var words = understanding.ClauseWords;
        if (!words.AsksWords(understood.Canonical) && words.ForeignPlace(understood.Clean, context.Policy) is not null)
        {
            return true;
        }

        // "社保卡丢了去哪补办", "住院押金要交多少": another scheme, fee or service, and nothing of the resident that this
        // scheme's answer would use (a group, a tier, several people).
        var slots = understood.Slots;
        return words.ForeignTopic(understood.Clean) && slots.Tier is null && slots.Categories.Count == 0 && slots.People is null
            // "城乡居民养老保险今年最低一档好多钱": that scheme's tiers are its own.
            || words.TieredForeignTopic(understood.Clean);
    }

    /// <summary>The message asks a figure the engine computes (an amount, a day, a length of time) or gives a fact
    /// of the resident (a group, a tier, several people, a day) that a computed answer uses.</summary>
    private bool AsksFigure(UnderstoodMessage understood)
    {
        var slots = understood.Slots;
        return understanding.ClauseWords.AsksComputed(understood.Canonical) || FigurePattern().IsMatch(understood.Canonical)
            || slots.Tier is not null || slots.Categories.Count > 0 || slots.People is not null || slots.Date is not null
            || slots.AmountFen is not null || slots.BirthDate is not null || slots.Newborn || slots.Age is not null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"为啥|为什么|为何|凭啥|怎么会|咋个.{0,4}要|怎么.{0,4}要|咋.{0,3}要")]
    private static partial System.Text.RegularExpressions.Regex WhyPattern();

    // "住院报销比例是好多" where the notice states no benefit levels: its not-stated answer, with whom to ask, stands; no
    // sentence that states no benefit level replaces it, and one that only names 待遇 (from when cover runs) does not
    // follow it either (a note of another matter may: "村口挂的横幅是弄啥哩" read as a benefit question).
    // ("三月份交了 当月住院能报不" asks from when cover runs, which that sentence does say.)
    private static bool IsBenefitLevelNotStated(UnderstoodMessage understood, ChatIntent intent, ComposedAnswer? composed, ClauseHit hit, bool namingCover) =>
        intent == ChatIntent.Coverage && composed?.Template == "topic_not_stated"
        && (!namingCover || hit.Sentence.Contains("待遇", StringComparison.Ordinal))
        // (A level asked, "住院报销多少", needs a sentence stating one; "参保人不能报销的医疗费用由责任人承担" only names 报销.)
        && !(AskedFigure.Amount().IsMatch(understood.Canonical) || AskedFigure.Share().IsMatch(understood.Canonical) ? BenefitFigurePattern() : BenefitLevelPattern()).IsMatch(hit.Sentence)
        && understood.Slots.Date is null && !TimeAskPattern().IsMatch(understood.Canonical) && !SoonPattern().IsMatch(understood.Canonical);

    [System.Text.RegularExpressions.GeneratedRegex(@"马上|立刻|立即|当月|当天|等")]
    private static partial System.Text.RegularExpressions.Regex SoonPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"报销|支付比例|起付|封顶|基金支付|支付限额|%|％")]
    private static partial System.Text.RegularExpressions.Regex BenefitLevelPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"报销比例|报销标准|报销额|支付比例|起付|封顶|支付限额|限额|%|％|\d+元")]
    private static partial System.Text.RegularExpressions.Regex BenefitFigurePattern();

    // The ways of asking when or how long.
    private const string TimeAsk = "哪天|哪一天|几号|什么时候|啥时候|啥时|何时|几时|多久|好久|多长时间|多会|哪一年|哪年";

    [System.Text.RegularExpressions.GeneratedRegex(TimeAsk)]
    private static partial System.Text.RegularExpressions.Regex TimeAskPattern();

    // 多少/好多/几 before a unit, and the ways of asking when or how long: a figure, not words; so is whether one can
    // still pay ("现在还补得到不": the late regime's answer).
    [System.Text.RegularExpressions.GeneratedRegex("多少|好多|几[块百千元号日月天年个]|还能补|补得到|补得上|补得了|还能交|还可以补|还可以交|来得及|赶得上|能补交|能不能补|" + TimeAsk)]
    private static partial System.Text.RegularExpressions.Regex FigurePattern();

    // Much like a residents' question filed under the clause (and sharing some words with the clause itself).
    // A message of one content word ("我交了没有": 交) is like too many questions to be read as any one of them.
    private bool IsLikeExample(ClauseHit hit) =>
        hit.ExampleMatched >= options.ClauseExampleMinimumMatched && hit.SaidWords >= 2 && Answers(hit, options.ClauseWordsMinimumMatched);

    // A group's own answer: its quote, or what the notice says of it where it defers the group's subsidy ("五保户交医保
    // 有啥子政策" in 001: 其资助标准按相关文件执行). It stands; a clause the words point to follows it as a note.
    private static bool IsGroupAnswer(UnderstoodMessage understood, ComposedAnswer? composed) =>
        understood.Slots.Categories.Count > 0 && composed is not null
        && (composed.Template.StartsWith("quote_", StringComparison.Ordinal) || composed.Template == "not_stated" && composed.Model.ContainsKey("deferring"));

    // The answer already says the sentence (in a quote, a deferral, a list): a note would say it twice.
    // (Quoted sentences lose the notice's typesetting spaces: the sentence is looked for as quoted.)
    private static bool Quotes(ComposedAnswer composed, string sentence)
    {
        var said = AnswerFormat.Untypeset(sentence);
        return composed.Model.Values.OfType<string>().Any(v => v.Contains(said, StringComparison.Ordinal));
    }

    // The share of the message's words one clause sentence holds for it to answer in place of a quote for a group
    // named, when nothing computed is asked.
    private const double StrongMatch = 0.8;

    private bool Answers(ClauseHit hit, bool asksWords) =>
        Answers(hit, asksWords ? options.ClauseWordsMinimumMatched : options.ClauseMinimumMatched);

    private bool Answers(ClauseHit hit, double matched) =>
        hit.Score >= options.ClauseMinimumScore && hit.Distinctive >= DistinctiveIdf && hit.Matched >= matched;

    private bool IsDeclined(UnderstoodMessage understood, ChatIntent intent, InsurancePolicy policy) =>
        intent == ChatIntent.OutOfScope || understood.Prediction.Intent == ChatIntent.OutOfScope && !understood.Prediction.Ambiguous && !understood.Prediction.FellBack
            && !IsOwnQuestion(understood, policy);

    /// <summary>The message is about this scheme although the classifier may read it as out of scope: it names the
    /// scheme itself ("还要交这个居民医保吗"), or names no other scheme or service and one clause of the notice holds
    /// most of its words ("老人家没智能手机 想要个交费凭证" → the banks' 绿色通道).</summary>
    public bool IsOwnQuestion(UnderstoodMessage understood, InsurancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(understood);
        var words = understanding.ClauseWords;
        if (words.OwnTopic(understood.Clean))
        {
            return true;
        }

        return !words.ForeignTopic(understood.Clean) && understanding.Clauses.Find(understood, policy) is { } hit
            && (Answers(hit, options.ClauseInScopeMinimumMatched) || IsLikeExample(hit));
    }

    // Intents answered from a list or office, where a clause may say more precisely what was asked.
    private static bool IsWordsIntent(ChatIntent intent) =>
        intent is ChatIntent.HowToRegister or ChatIntent.FixRegistration or ChatIntent.Coverage or ChatIntent.ContactPerson
            or ChatIntent.HowToPay or ChatIntent.Students or ChatIntent.SubsidisedGroups or ChatIntent.None;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:多少|好多|几|多大)周?岁|多大岁数|多大年纪")]
    private static partial System.Text.RegularExpressions.Regex AgeAskPattern();

    // Which people, or how many kinds, are asked: the list.
    [System.Text.RegularExpressions.GeneratedRegex(@"哪些人|什么人|啥人|哪几类|几类|哪几种|哪些类")]
    private static partial System.Text.RegularExpressions.Regex WhichGroupsPattern();
}
