using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Answers;
using WeChatAssist.Server.Chat.Dialogue;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Chat;

/// <summary>One resident message to answer.</summary>
/// <param name="Account">The official account (dialogue state and bindings are per account).</param>
/// <param name="UserId">The follower's OpenID.</param>
/// <param name="Policy">The county's policy.</param>
/// <param name="Language">The follower's WeChat language (a choice typed in the chat overrides it).</param>
/// <param name="Text">What the resident typed or dictated.</param>
/// <param name="Today">The business date.</param>
internal sealed record ChatRequest(string Account, string UserId, InsurancePolicy Policy, ChatLanguage Language, string Text, DateOnly Today);

/// <summary>The bot's reply.</summary>
/// <param name="Text">One short message.</param>
/// <param name="Citations">Clauses the answer rests on.</param>
/// <param name="Intent">The intent answered (None when the bot fell back).</param>
/// <param name="Confidence">The classifier's confidence (1 for menu numbers and follow-ups).</param>
/// <param name="FellBack">The bot showed the menu, asked which question was meant or declined an out-of-scope question.</param>
/// <param name="Template">The template section used.</param>
internal sealed record ChatAnswer(string Text, IReadOnlyList<Citation> Citations, ChatIntent Intent, double Confidence, bool FellBack, string Template);

/// <summary>The WeChat-independent chatbot: understands a message, keeps the dialogue, asks the policy engine and
/// renders one short answer.</summary>
internal sealed partial class ChatEngine(
    ChatUnderstanding understanding,
    AnswerTemplates templates,
    IDialogueStateStore states,
    IResidentDirectory residents,
    IReminderSubscriptions reminders,
    ChatOptions options)
{
    private readonly ClauseAnswers _clauses = new(understanding, options);

    /// <summary>The understanding layer (for the evaluation's explanations).</summary>
    public ChatUnderstanding Understanding => understanding;

    /// <summary>Answers one message.</summary>
    public async ValueTask<ChatAnswer> AnswerAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var state = await states.GetAsync(request.Account, request.UserId, cancellationToken) ?? DialogueState.Empty;
        var understood = understanding.Understand(request.Text, request.Policy, request.Today);
        var language = understood.Language ?? state.Language ?? request.Language;
        var resident = await residents.FindAsync(request.Account, request.UserId, request.Policy.Id, cancellationToken);
        var (intent, confidence) = Decide(understood, state, request.Policy, request.Today);

        // Facts carry over only into the question that asked for them (or a choice from a menu or a clarifying
        // question): a new question about someone else must never be answered with the previous person's category.
        var continues = understood.Menu is not null || (state.PendingIntent != ChatIntent.None && IsFactsOnly(understood));
        var slots = continues ? state.Slots.Merge(understood.Slots) : understood.Slots;
        var context = new AnswerContext(request.Policy, request.Today, new AnswerFormat(language, understanding.Normalizer), slots, resident, understanding.ClauseWords.CoverageMarks);
        ComposedAnswer composed;
        if (understood.Language is not null && understood.Prediction.Intent is ChatIntent.None or ChatIntent.Greeting or ChatIntent.OutOfScope)
        {
            composed = AnswerComposer.Plain("language_switched", context, fellBack: false);
            intent = ChatIntent.Greeting;
        }
        else if (understood.Clean.Length == 0)
        {
            composed = AnswerComposer.Plain("menu", context, fellBack: true);
        }
        else if (understood.Menu is null && !continues && _clauses.IsForeign(understood, context))
        {
            // "西平县的医保多少钱" asked of 遂平县: another county's question, declined without an amount.
            composed = AnswerComposer.Plain("out_of_scope", context, fellBack: true);
            intent = ChatIntent.OutOfScope;
        }
        else if (understood.Condition is { } condition && understood.Menu is null && !continues
            && (intent is ChatIntent.AmountDue or ChatIntent.TierDifference
                || intent is ChatIntent.SubsidisedGroups
                || (intent is ChatIntent.Students or ChatIntent.None && AskedFigure.Amount().IsMatch(understood.Canonical))
                || GroupPaysAsked(understood, intent)
                // A freshman's cover start is the 在渝高校 rule's: where his university is, is asked before any date.
                || (understood.FreshmanPlaceUnknown && intent is ChatIntent.Deadline or ChatIntent.LatePayment or ChatIntent.WaitingPeriod or ChatIntent.Students or ChatIntent.None)
                // "我打算晚点再补交 到时候要好多钱": the day decides the amount and the cover start; it is asked.
                || (understood.PayDayUnknown && intent is ChatIntent.LatePayment or ChatIntent.WaitingPeriod or ChatIntent.None)
                // "厂里给我买了社保 还要交这个医保不": whether his work insures him decides; it is asked.
                || (understood.InsuredAtWorkUnknown && intent is not (ChatIntent.OutOfScope or ChatIntent.PaymentStatus or ChatIntent.Greeting))))
        {
            // The group named depends on a condition the resident has not given: ask it, never assume it.
            // "残疾人要几级才有资助" asks the condition itself: the clause stating it answers.
            var ask = AnswerComposer.AskCondition(context, condition);
            intent = GroupPaysAsked(understood, intent) ? ChatIntent.AmountDue : intent;
            // "大一新生九月份报名交的医保 从好久开始管用": the freshman rule's own sentence names the universities it is
            // for (在渝高校), so it answers when cover starts without assuming where he studies.
            // "我是残疾人 交医保有补助没有": whether he himself is subsidised turns on that condition; a clause listing
            // the groups would not say which he is.
            var ownSubsidyAsked = SelfNamedPattern().IsMatch(understood.Canonical) && OwnSubsidyPattern().IsMatch(understood.Canonical);
            composed = ownSubsidyAsked || understood.InsuredAtWorkUnknown ? ask
                : (understood.FreshmanPlaceUnknown && !AskedFigure.Amount().IsMatch(understood.Canonical) ? _clauses.FreshmanRule(context) : null)
                ?? ClauseFor(understood, context, intent, ask) ?? ask;
            intent = intent == ChatIntent.None ? ChatIntent.AmountDue : intent;
        }
        else if (intent == ChatIntent.None && understood.Prediction.Ambiguous && !understood.Prediction.FellBack && understood.Menu is null)
        {
            // Two readings are close: a clause that plainly answers the words decides; otherwise the better reading
            // is answered (its answer names what it answers), never a question back for the classifier's doubt.
            // A weak guess ("你叫什么名字") still gets the numbered choice.
            var weak = understood.Prediction.Score < options.MinimumScore * 1.5;
            // "学生医保多少钱": an amount asked of an amount reading is computed, not a clause about the group.
            // "冬月再交中不中": a day said to a date reading is the engine's to answer for that day.
            var amountAsked = AskedFigure.Amount().IsMatch(understood.Canonical) && IsAmountLike(understood.Prediction.Intent)
                || understood.Slots.Date is not null && understood.Prediction.Intent is ChatIntent.Deadline or ChatIntent.LatePayment or ChatIntent.WaitingPeriod;
            composed = !amountAsked && ClauseFor(understood, context, intent) is { } byClause
                ? byClause
                : weak
                    ? AnswerComposer.Clarify(context, [understood.Prediction.Intent, understood.Prediction.RunnerUp])
                    : AnswerComposer.Compose(understood.Prediction.Intent, context);
            intent = composed.Template is "clause" or "clarify" ? intent : understood.Prediction.Intent;
        }
        else if (intent is ChatIntent.Subscribe or ChatIntent.Unsubscribe)
        {
            await reminders.SetAsync(request.Account, request.UserId, intent == ChatIntent.Subscribe, cancellationToken);
            // After the collection window no reminder leads up to its last day: the answer must not promise one.
            var subscribed = request.Today > request.Policy.CollectionWindow.To ? "subscribed_window_over" : "subscribed";
            composed = AnswerComposer.Plain(intent == ChatIntent.Subscribe ? subscribed : "unsubscribed", context, fellBack: false);
            composed.Model["windowTo"] = context.Format.Date(request.Policy.CollectionWindow.To);
        }
        else
        {
            composed = AnswerComposer.Compose(intent, context);
            if (understood.Menu is null && !continues && ClauseFor(understood, context, intent, composed) is { } byClause)
            {
                composed = byClause;
            }
        }

        // A computed answer that does not rest on the clause the question's own words point to gets that clause's
        // sentence as a note ("为啥过了六月交要多交那么多钱" → the amount and 二、（四）'s sentence on the fiscal subsidy).
        var note = understood.Menu is null && !continues ? _clauses.Note(understood, context, intent, composed) : null;

        var text = Render(language, composed);
        if (intent == ChatIntent.PaymentStatus && resident is { Household.Count: > 0 } && composed.Template.StartsWith("status_", StringComparison.Ordinal))
        {
            // "我家交了没有": each person bound by this WeChat user, one line each, the user first.
            text = string.Join('\n', [text, .. resident.Household.Select(member => Render(language, AnswerComposer.Compose(intent, context with { Resident = member })))]);
        }

        if (note is not null)
        {
            text = text.TrimEnd() + "\n" + Render(language, note);
        }

        await states.SaveAsync(
            request.Account,
            request.UserId,
            new DialogueState
            {
                PendingIntent = composed.PendingIntent,
                Choices = composed.Choices ?? [],
                Slots = slots,
                Language = understood.Language ?? state.Language,
            },
            options.StateLifetime,
            cancellationToken);
        return new ChatAnswer(text, composed.Citations, composed.FellBack ? ChatIntent.None : intent, confidence, composed.FellBack, composed.Template);
    }

    private ComposedAnswer? ClauseFor(UnderstoodMessage understood, AnswerContext context, ChatIntent intent, ComposedAnswer? composed = null) =>
        _clauses.Instead(understood, context, intent, composed);

    /// <summary>Renders a section outside a conversation turn (welcome on subscribe, voice without recognition).</summary>
    public ChatAnswer Special(string template, InsurancePolicy policy, ChatLanguage language, DateOnly today)
    {
        var context = new AnswerContext(policy, today, new AnswerFormat(language, understanding.Normalizer), ChatSlots.Empty, null);
        var composed = AnswerComposer.Plain(template, context, fellBack: false);
        return new ChatAnswer(Render(language, composed), [], ChatIntent.Greeting, 1, false, template);
    }

    private (ChatIntent Intent, double Confidence) Decide(UnderstoodMessage understood, DialogueState state, InsurancePolicy policy, DateOnly today)
    {
        if (understood.Menu is { } number)
        {
            if (number >= 1 && number <= state.Choices.Count)
            {
                return (state.Choices[number - 1], 1);
            }

            var fromMenu = understanding.MenuIntent(number);
            return (fromMenu == ChatIntent.None ? ChatIntent.Greeting : fromMenu, 1);
        }

        // A reply that only gives facts ("我是低保户") continues the question that asked for them.
        if (state.PendingIntent != ChatIntent.None && IsFactsOnly(understood))
        {
            return (state.PendingIntent, 1);
        }

        var prediction = understood.Prediction;
        // "村上会不会打电话通知我交", "乡镇要不要自己搞个工作方案": a question about what an office does is not a command
        // to this bot's reminders; only words about being reminded, with no office acting, switch them.
        if (prediction.Intent is ChatIntent.Subscribe or ChatIntent.Unsubscribe
            && (!ReminderWordPattern().IsMatch(understood.Canonical) || OfficeActorPattern().IsMatch(understood.Canonical)))
        {
            // ("3月5号生的娃儿 要不要等到年底再交": 不要 is no command; the close second reading is the question.)
            return prediction.Ambiguous && prediction.RunnerUp is not (ChatIntent.Subscribe or ChatIntent.Unsubscribe or ChatIntent.None)
                && !OfficeActorPattern().IsMatch(understood.Canonical)
                ? (prediction.RunnerUp, prediction.Confidence)
                : (ChatIntent.None, prediction.Confidence);
        }

        // "西平县的医保多少钱": another county's contribution is not this notice's to answer.
        if (understood.Slots.OtherPlace)
        {
            return (ChatIntent.OutOfScope, prediction.Confidence);
        }

        if (prediction.FellBack)
        {
            // Facts alone with nothing pending: the commonest question about them is what they pay.
            // Facts alone, or an amount to confirm ("交380对吗"): the commonest question about them is what they pay.
            if (IsFactsOnly(understood) || understood.Slots.AmountFen is not null)
            {
                return (ChatIntent.AmountDue, prediction.Confidence);
            }

            // "下周一能去交吗", "这礼拜五去交行不": a day and paying, nothing else: whether that day takes payment.
            return understood.Slots.Date is not null && understood.Canonical.Contains('交', StringComparison.Ordinal)
                ? (ChatIntent.Deadline, prediction.Confidence)
                : (ChatIntent.None, prediction.Confidence);
        }

        // "有港澳台居住证的交多少", "外地户口在这交多少": who may enrol is answered by what they pay when that is asked.
        // ("我在外地 五月份回来交 还交380吗": an amount to confirm, the same.)
        if (prediction.Intent is ChatIntent.HowToRegister or ChatIntent.FixRegistration && (AskedFigure.Amount().IsMatch(understood.Canonical) || understood.Slots.AmountFen is not null)
            && !prediction.Ambiguous)
        {
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        // "没得职工医保的交二档要好多": a tier is this scheme's, whatever other insurance the message mentions.
        if (prediction.Intent == ChatIntent.OutOfScope && understood.Slots.Tier is not null && AskedFigure.Amount().IsMatch(understood.Canonical))
        {
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        // "我明天去交还行吧 后天呢": a day and paying is this scheme's question, whatever the classifier read;
        // "在外地打工 过年回来再交来得及不": whether a day is still in time, not how to enrol.
        if ((prediction.Intent == ChatIntent.OutOfScope || prediction.Intent == ChatIntent.HowToRegister && InTimePattern().IsMatch(understood.Canonical))
            && understood.Slots.Date is not null && PayPattern().IsMatch(understood.Canonical)
            && !understanding.ClauseWords.ForeignTopic(understood.Clean))
        {
            return (ChatIntent.Deadline, prediction.Confidence);
        }

        // "元旦过了 还能在支付宝上交吗" after the window: whether one may still pay at all comes before where.
        if (prediction.Intent == ChatIntent.HowToPay && today > policy.CollectionWindow.To && StillPayPattern().IsMatch(understood.Canonical))
        {
            return (ChatIntent.Deadline, prediction.Confidence);
        }

        // "今天交怎么交不上 啥时候能交": when, not how.
        if (prediction.Intent == ChatIntent.HowToPay && TimeAskPattern().IsMatch(understood.Canonical))
        {
            return (ChatIntent.Deadline, prediction.Confidence);
        }

        // "刚生的小孩交多少" where the notice has no newborn rule: the one standard every resident pays.
        if (prediction.Intent == ChatIntent.Newborn && policy.Newborn is null && AskedFigure.Amount().IsMatch(understood.Canonical))
        {
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        // "村干部收了我的钱没交上去 找哪个": money a cadre kept is a matter for the clause on misconduct, not the resident's
        // own payment record.
        if (prediction.Intent == ChatIntent.PaymentStatus && MisusePattern().IsMatch(understood.Canonical))
        {
            return (ChatIntent.None, prediction.Confidence);
        }

        // "明天能交了吗", "这周五能交吗": a day still to come is not a payment record; it asks whether that day takes payment.
        if (prediction.Intent == ChatIntent.PaymentStatus && understood.Slots.Date is { } day && day > today)
        {
            return (ChatIntent.Deadline, prediction.Confidence);
        }

        // "好久能报", "从哪天开始能用", "管到什么时候": the day cover starts or ends, which the late-payment quote gives;
        // "12月交的 元旦那天看病能用不": a day said and whether cover holds then, the same. ("降压药从啥时候开始能报"
        // asks when an item the notice names entered the cover, which the coverage answer dates.)
        if (prediction.Intent is ChatIntent.Coverage or ChatIntent.PaymentStatus
            && (WhenPattern().IsMatch(understood.Canonical) || understood.Slots.Date is not null && CoverUsePattern().IsMatch(understood.Canonical) || understood.Slots.CoverOnDay)
            && !(prediction.Intent == ChatIntent.Coverage && CoverageItemPattern().IsMatch(understood.Canonical)))
        {
            return (ChatIntent.LatePayment, prediction.Confidence);
        }

        // "俺家孙子8月8号生的 啥时候之前给他上医保": a birth day and a when: the newborn's last day.
        if (understood.Slots.BirthDate is not null && policy.Newborn is not null && TimeAskPattern().IsMatch(understood.Canonical)
            && prediction.Intent is ChatIntent.HowToRegister or ChatIntent.Newborn or ChatIntent.None or ChatIntent.Students)
        {
            return (ChatIntent.Deadline, prediction.Confidence);
        }

        // "俺不会弄手机 让村委会帮着交行吗": paying, no other scheme or service named, and an in-scope reading as close
        // as the out-of-scope one: this scheme's question, read as the in-scope one.
        if (prediction.Ambiguous && prediction.Intent == ChatIntent.OutOfScope && prediction.RunnerUp is not (ChatIntent.None or ChatIntent.Greeting or ChatIntent.Thanks)
            && PayPattern().IsMatch(understood.Canonical) && !understanding.ClauseWords.ForeignTopic(understood.Clean))
        {
            return (prediction.RunnerUp, prediction.Confidence);
        }

        // "有职工医保了还能参加居民医保吗": a message naming this scheme itself is not declined for the other scheme it
        // mentions; the clause on who may enrol (or the menu) answers it. So is one a clause plainly answers.
        if (prediction.Intent == ChatIntent.OutOfScope && _clauses.IsOwnQuestion(understood, policy))
        {
            return (ChatIntent.None, prediction.Confidence);
        }

        // "现在交的啥时候开始管用", "交了从哪天起生效": when cover starts is the late-payment quote's cover start, whatever
        // reading (deadline, how to pay) the classifier gave the message.
        if (prediction.Intent is ChatIntent.Deadline or ChatIntent.LatePayment or ChatIntent.HowToPay or ChatIntent.AmountDue or ChatIntent.Students or ChatIntent.Newborn
                or ChatIntent.PaymentStatus or ChatIntent.Coverage
            && understood.Slots.AsksCover
            && !(prediction.Intent == ChatIntent.Coverage && CoverageItemPattern().IsMatch(understood.Canonical)))
        {
            return (ChatIntent.LatePayment, prediction.Confidence);
        }

        // A declined question stays declined; a close out-of-scope runner-up does not make an in-scope question vague.
        if (prediction.Ambiguous && prediction.Intent == ChatIntent.OutOfScope)
        {
            return (ChatIntent.OutOfScope, prediction.Confidence);
        }

        if (prediction.Ambiguous && prediction.RunnerUp == ChatIntent.OutOfScope)
        {
            return (prediction.Intent, prediction.Confidence);
        }

        // "退役军人有优惠没 还是交400": an amount to confirm and no group of the notice named asks what this resident
        // pays, not the list of subsidised groups.
        if (prediction.Intent is ChatIntent.SubsidisedGroups && understood.Slots.AmountFen is not null && understood.Slots.Categories.Count == 0)
        {
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        // "娃儿今年上大学了 学生医保交到好久": until when a student pays is the deadline for him, with a date reading
        // behind; a clause on students' enrolment rate does not say it.
        if (prediction.Intent == ChatIntent.Students && PayUntilPattern().IsMatch(understood.Canonical) && !understood.Slots.AsksCover
            && prediction.RunnerUp is ChatIntent.Deadline or ChatIntent.LatePayment)
        {
            return (ChatIntent.Deadline, prediction.Confidence);
        }

        // "下半年才去交医保 政府那部分补贴还有没有": a day of payment and whether the government's part still comes, no
        // group named: that day's quote, which says whether the resident pays the fiscal part himself.
        if (prediction.Intent is ChatIntent.SubsidisedGroups or ChatIntent.Coverage && understood.Slots.Date is not null && understood.Slots.Categories.Count == 0
            && (understood.Slots.AsksSubsidy || SubsidyWordPattern().IsMatch(understood.Canonical)) && !CareWordPattern().IsMatch(understood.Canonical)
            && PayPattern().IsMatch(understood.Canonical))
        {
            return (ChatIntent.LatePayment, prediction.Confidence);
        }

        // "因为得大病穷了的那种人 医保补百分之好多": a group named and what it is given asked, no care or refund named:
        // the group's subsidy, not what the insurance pays out.
        if (prediction.Intent is ChatIntent.Coverage && understood.Slots.Categories.Count > 0
            && (understood.Slots.AsksSubsidy || AskedFigure.Share().IsMatch(understood.Canonical) || SubsidyWordPattern().IsMatch(understood.Canonical)) && !CareWordPattern().IsMatch(understood.Canonical))
        {
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        // "乡镇几号前要报进度", "啥时候开始考核": a day asked of something other than paying (reporting, checking) is the
        // clause naming it, not the collection window.
        // "资助名单报到哪天为止": the same for a day asked of the groups' list.
        if ((prediction.Intent is ChatIntent.Deadline or ChatIntent.LatePayment || prediction.Intent == ChatIntent.SubsidisedGroups && WhenPattern().IsMatch(understood.Canonical))
            && understood.Slots.Date is null && !PayPattern().IsMatch(understood.Canonical)
            && OfficeTaskPattern().IsMatch(understood.Canonical))
        {
            return (ChatIntent.None, prediction.Confidence);
        }

        // "税务局管啥", "教育局负责啥": what an office does is the clause naming its duty, not what the insurance covers.
        if (prediction.Intent == ChatIntent.Coverage && OfficeDutyPattern().IsMatch(understood.Canonical))
        {
            return (ChatIntent.None, prediction.Confidence);
        }

        // "一档二档一个人相差好多": both tiers and a difference asked is the difference between them, not one tier's quote.
        if (understood.Slots.BothTiers && DifferencePattern().IsMatch(understood.Canonical)
            && understood.Slots.Categories.Count == 0 && understood.Slots.People is null)
        {
            return (ChatIntent.TierDifference, prediction.Confidence);
        }

        // "奖扶对象一档多少钱": a tier and a group ask the amount, not the difference between tiers.
        if (prediction.Intent == ChatIntent.TierDifference && understood.Slots.Tier is not null
            && (understood.Slots.Categories.Count > 0 || understood.Slots.People is not null || understood.Slots.Date is not null || understood.Slots.Student != Policy.StudentKind.None))
        {
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        // A group, a tier or several people with an amount-like reading: the message asks what they pay
        // ("五保户交二档要多少", "我们家五口人都交一档一共多少").
        var slots = understood.Slots;
        if (prediction.Ambiguous && (slots.Categories.Count > 0 || slots.Tier is not null || slots.People is not null)
            && (IsAmountLike(prediction.Intent) || IsAmountLike(prediction.RunnerUp)) && slots.Date is null)
        {
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        if (slots.People is not null && IsAmountLike(prediction.Intent))
        {
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        if (prediction.Ambiguous && IsAmountOrGroups(prediction.Intent) && IsAmountOrGroups(prediction.RunnerUp) && understood.Slots.Categories.Count > 0)
        {
            // Both answer a named category with its amount.
            return (ChatIntent.AmountDue, prediction.Confidence);
        }

        if (prediction.Ambiguous && IsDeadlineOrLate(prediction.Intent) && IsDeadlineOrLate(prediction.RunnerUp))
        {
            // "现在还能交吗" asks for the deadline during the collection window and about late payment after it.
            return (policy.CollectionWindow.Contains(today) || today < policy.CollectionWindow.From ? ChatIntent.Deadline : ChatIntent.LatePayment, prediction.Confidence);
        }

        if (prediction.Ambiguous && IsLateOrWaiting(prediction.Intent) && IsLateOrWaiting(prediction.RunnerUp))
        {
            // Both are answered by the late-payment quote (amount, cover start, waiting days).
            return (prediction.Intent, prediction.Confidence);
        }

        return prediction.Ambiguous ? (ChatIntent.None, prediction.Confidence) : (prediction.Intent, prediction.Confidence);
    }

    /// <summary>A reply that only states facts ("我是低保户", "一档", "去年交了"), not a new question.</summary>
    private static bool IsFactsOnly(UnderstoodMessage understood) => understood.Slots.HasResidentFacts && understood.Slots.ResidueLength <= 2;

    private static bool IsLateOrWaiting(ChatIntent intent) => intent is ChatIntent.LatePayment or ChatIntent.WaitingPeriod;

    private static bool IsAmountLike(ChatIntent intent) => intent is ChatIntent.AmountDue or ChatIntent.TierDifference or ChatIntent.SubsidisedGroups;

    private static bool IsAmountOrGroups(ChatIntent intent) => intent is ChatIntent.AmountDue or ChatIntent.SubsidisedGroups;

    private static bool IsDeadlineOrLate(ChatIntent intent) => intent is ChatIntent.Deadline or ChatIntent.LatePayment;

    private string Render(ChatLanguage language, ComposedAnswer composed)
    {
        // Labels and topics are template sections themselves, so their wording stays in templates/.
        if (composed.Model.TryGetValue("choices", out var choices) && choices is List<Dictionary<string, object?>> list)
        {
            foreach (var choice in list)
            {
                choice["label"] = templates.Render(language, (string)choice["label"]!, composed.Model);
            }
        }

        if (composed.Model.TryGetValue("topic", out var topic) && topic is string topicSection)
        {
            composed.Model["topic"] = templates.Render(language, topicSection, composed.Model);
        }

        var text = templates.Render(language, composed.Template, composed.Model);
        return language == ChatLanguage.TraditionalChinese ? understanding.Normalizer.ToTraditional(text) : text;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"哪天|几号|好久|多久|什么时候|啥时候|几时|从哪|管到|到哪天|到什么时候|开始能|才能|能报了|开始报|起报|哪一天")]
    private static partial System.Text.RegularExpressions.Regex WhenPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"能用|管用|能报|可以报|有效|生效|能看病|看病报销|能报销")]
    private static partial System.Text.RegularExpressions.Regex CoverUsePattern();

    // Items of the cover a notice dates ("两病"患者的降压降糖药, 孕期妊娠合并症住院): when they entered it is the coverage answer's.
    [System.Text.RegularExpressions.GeneratedRegex(@"药|高血压|糖尿病|两病|妊娠|孕|慢病|慢性病")]
    private static partial System.Text.RegularExpressions.Regex CoverageItemPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"相差|差多少|差好多|差几|差别|区别|差价|差距|多交|少交|多出|贵多少|贵好多|不一样|有啥不同|有什么不同")]
    private static partial System.Text.RegularExpressions.Regex DifferencePattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"来得及|赶得上|还能交|还可以交|晚不晚|行不行|中不中")]
    private static partial System.Text.RegularExpressions.Regex InTimePattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"交|缴|参保")]
    private static partial System.Text.RegularExpressions.Regex PayPattern();

    // "俺家是监测户 这医保咋交": how a group named pays is first what it pays, which the condition decides.
    private static bool GroupPaysAsked(UnderstoodMessage understood, ChatIntent intent) =>
        intent is ChatIntent.None or ChatIntent.HowToPay && understood.Condition is not null && AskedFigure.HowGroupPays().IsMatch(understood.Canonical);

    [System.Text.RegularExpressions.GeneratedRegex(@"什么时候|哪天|几号|几时|哪一天")]
    private static partial System.Text.RegularExpressions.Regex TimeAskPattern();

    // Until when one pays ("交到好久", "最迟哪天交"), not how long cover lasts.
    [System.Text.RegularExpressions.GeneratedRegex(@"交到|缴到|截止|最迟|最晚|最后一天")]
    private static partial System.Text.RegularExpressions.Regex PayUntilPattern();

    // "我是残疾人…", "俺家是脱贫户…": the resident names his own group.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:我|俺|咱)们?家?(?:是|属于|算)")]
    private static partial System.Text.RegularExpressions.Regex SelfNamedPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"补助|资助|补贴|减免|少交|优惠|照顾")]
    private static partial System.Text.RegularExpressions.Regex OwnSubsidyPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"补助|资助|补贴")]
    private static partial System.Text.RegularExpressions.Regex SubsidyWordPattern();

    // Care and its refund: what the insurance pays out.
    [System.Text.RegularExpressions.GeneratedRegex(@"报销|住院|看病|门诊|药|医院|起付|封顶")]
    private static partial System.Text.RegularExpressions.Regex CareWordPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"还能.{0,8}交|还可以.{0,8}交|还让交|还收|还交得")]
    private static partial System.Text.RegularExpressions.Regex StillPayPattern();

    // Money collected and kept or misused by whoever collected it.
    [System.Text.RegularExpressions.GeneratedRegex(@"没交上去|没上交|没存进去|没交进去|挪用|挪去|挪作|私吞|截留|揣自己|乱收|乱代缴|贪污")]
    private static partial System.Text.RegularExpressions.Regex MisusePattern();

    // Being reminded (or no longer): the words of a reminder command.
    [System.Text.RegularExpressions.GeneratedRegex(@"提醒|订阅|退订|通知我|告诉我|别发|不要再发|不要发|remind|subscribe", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex ReminderWordPattern();

    // An office or its staff acting: the message asks what they do, not what this bot should send.
    [System.Text.RegularExpressions.GeneratedRegex(@"村|乡|镇|社区|干部|单位|县|局|政府|学校|税务|银行")]
    private static partial System.Text.RegularExpressions.Regex OfficeActorPattern();

    // What offices do on a schedule: report, brief, check, publicise.
    [System.Text.RegularExpressions.GeneratedRegex(@"(?<!报)报(?!销|名|到)|通报|考核|检查|督查|督导|公示|审核|核实|宣传|开会|名单")]
    private static partial System.Text.RegularExpressions.Regex OfficeTaskPattern();

    // An office, then what it does ("税务局管啥", "乡镇政府负责哪些", "村委会干啥").
    [System.Text.RegularExpressions.GeneratedRegex(@"(?:局|委|办|中心|所|站|政府|街道|乡镇|村委会?|社区|干部|学校|银行)(?:是|要|都)?(?:管|负责|干)(?:啥|什么|哪些|些啥|的啥)")]
    private static partial System.Text.RegularExpressions.Regex OfficeDutyPattern();
}
