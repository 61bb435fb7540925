using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>One message understood: its texts, the classifier's verdict and the slots.</summary>
/// <param name="Clean">Half-width, Simplified, no punctuation.</param>
/// <param name="Canonical">Synonyms rewritten.</param>
/// <param name="Prediction">The classifier's verdict.</param>
/// <param name="Slots">The slots found.</param>
/// <param name="Menu">A menu number typed alone (1–9), or null.</param>
/// <param name="Language">A language the resident asked to switch to, or null.</param>
/// <param name="Condition">The question deciding membership of a group named under a condition, or null.</param>
/// <param name="FreshmanPlaceUnknown">A university freshman whose university is not said to be in Chongqing, under a
/// notice whose freshman cover start is for universities in Chongqing only: his dates depend on it too.</param>
/// <param name="PayDayUnknown">The resident will pay "later" without a day while the amount or cover start still
/// changes before the year ends: <see cref="Condition"/> asks the day.</param>
/// <param name="InsuredAtWorkUnknown">One who works asks whether he must still pay, not saying whether his work insures him.</param>
internal sealed record UnderstoodMessage(string Clean, string Canonical, IntentPrediction Prediction, ChatSlots Slots, int? Menu, ChatLanguage? Language, string? Condition = null, bool FreshmanPlaceUnknown = false, bool PayDayUnknown = false, bool InsuredAtWorkUnknown = false)
{
    /// <summary>The retrieval terms, cut on the first clause lookup and reused by the next ones.</summary>
    public ClauseQuery? ClauseQuery { get; set; }

    /// <summary>The clause sentence found for this message in a policy, kept after the first lookup: the choices made
    /// about one message (scope, the answer, the note under it) ask for it several times.</summary>
    public (InsurancePolicy Policy, ClauseHit? Hit)? ClauseLookup { get; set; }
}

/// <summary>The understanding layer: normaliser, slot extractor and intent classifier together.</summary>
internal sealed partial class ChatUnderstanding(ChatVocabulary vocabulary, TextNormalizer normalizer, SlotExtractor slots, IntentClassifier classifier, ClauseIndex clauses, GroupConditions conditions, ClauseWords clauseWords)
{
    /// <summary>Residents' words for what the notices say in words.</summary>
    public ClauseWords ClauseWords => clauseWords;

    /// <summary>Clause retrieval for questions the engine cannot compute.</summary>
    public ClauseIndex Clauses => clauses;

    /// <summary>The vocabulary in use.</summary>
    public ChatVocabulary Vocabulary => vocabulary;

    /// <summary>The normaliser in use.</summary>
    public TextNormalizer Normalizer => normalizer;

    /// <summary>Builds the whole layer from the <c>localization/chat/</c> folder and the question bank's train split.</summary>
    public static ChatUnderstanding Create(string folder, ResidentWords residentWords, IEnumerable<LabelledQuestion> bank, ChatOptions options, IEnumerable<InsurancePolicy> policies, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var vocabulary = ChatVocabulary.Load(folder);
        var normalizer = new TextNormalizer(vocabulary);
        var examples = bank
            .Where(q => q.Split == "train")
            .Select(q => (normalizer.StripFillers(normalizer.Canonicalize(normalizer.Clean(q.Text))), q.Intent))
            .ToList();
        // Keywords are written as residents write them; match them in the same canonical form as the messages.
        var rules = vocabulary.Rules
            .Select(r => r with { Keywords = [.. r.Keywords.Select(k => KeyValuePair.Create(normalizer.Canonicalize(normalizer.Clean(k.Key)), k.Value * options.KeywordWeight))] })
            .ToList();
        var classifier = new IntentClassifier(examples, rules, options.MinimumScore, options.AmbiguityRatio);
        // jieba's user dictionary: every group, township, channel and office of the loaded policies and the residents' words.
        var loaded = policies.ToList();
        var segmenter = ChineseSegmenter.Create(baseDirectory, loaded, residentWords, w => normalizer.Canonicalize(normalizer.Clean(w)));
        // Each policy's inverted index is built at load, not on its first message.
        var clauseWords = ClauseWords.Load(Path.Combine(folder, ClauseWords.FileName), w => normalizer.Canonicalize(normalizer.Clean(w)));
        var clauses = new ClauseIndex(segmenter, normalizer, clauseWords, ClauseExamples.Load(Path.Combine(folder, ClauseExamples.FileName)));
        clauses.Prepare(loaded);
        return new ChatUnderstanding(vocabulary, normalizer, new SlotExtractor(residentWords, normalizer), classifier, clauses,
            GroupConditions.Load(Path.Combine(folder, GroupConditions.FileName), w => normalizer.Canonicalize(normalizer.Clean(w))), clauseWords);
    }

    /// <summary>Understands <paramref name="text"/> asked to <paramref name="policy"/> on <paramref name="today"/>.</summary>
    public UnderstoodMessage Understand(string text, InsurancePolicy policy, DateOnly today)
    {
        var clean = normalizer.Clean(text);
        var canonical = normalizer.Canonicalize(clean);
        var stripped = normalizer.StripFillers(canonical);
        int? menu = stripped.Length is 1 or 2 && int.TryParse(stripped, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number is >= 0 and <= 99
            ? number
            : null;
        ChatLanguage? language = null;
        foreach (var (word, target) in vocabulary.LanguageWords)
        {
            if (clean.Length <= word.Length + 4 && clean.Contains(word, StringComparison.Ordinal))
            {
                language = target;
                break;
            }
        }

        var prediction = WithoutUnnamedBaby(classifier.Classify(canonical, stripped), canonical);
        var found = slots.Extract(canonical, policy, today);
        // A household described part by part ("两个大人二档，两个娃一档"): the parts are split before punctuation goes.
        var segments = SegmentSeparators().Split(text);
        if (segments.Length >= 2)
        {
            var members = slots.Members([.. segments.Select(s => normalizer.Canonicalize(normalizer.Clean(s)))], policy, today);
            if (members.Count >= 2)
            {
                found = found with { Members = members, People = members.Sum(m => m.Count) };
            }
        }

        // Both tiers named ("低保户一档和二档差多少", several people not told apart): no one tier is the resident's, so
        // each tier is quoted (a total for one tier would be a wrong amount).
        if (found.Members.Count == 0 && found.BothTiers)
        {
            found = found with { Tier = null };
        }

        found = found with
        {
            EachGroup = conditions.EachGroup(canonical, found),
            // A university named as one in Chongqing ("重庆大学", "西南大学") answers the college-place question too.
            CollegeInChongqing = found.CollegeInChongqing ?? (found.Student == StudentKind.College && conditions.NamesChongqingCollege(canonical) ? true : null),
        };
        // "大学生交一档多少": the notice's college group by its own name, no place said; its scope goes with the answer.
        if (found.Student == StudentKind.College && found.CollegeInChongqing is null && conditions.NamesCollegeGroup(canonical))
        {
            found = found with { CollegeInChongqing = true, CollegeByName = true };
        }

        var payDay = conditions.PayDayQuestion(canonical, policy, found, today);
        var atWork = conditions.InsuredAtWorkQuestion(canonical);
        return new UnderstoodMessage(clean, canonical, prediction, found, menu, language, atWork ?? conditions.Question(canonical, policy, found) ?? payDay,
            found.Freshman && GroupConditions.CollegePlaceUnknown(policy, found), PayDayUnknown: payDay is not null, InsuredAtWorkUnknown: atWork is not null);
    }

    /// <summary>A newborn reading of a message that names no baby or birth ("在电脑上电子税务局那能交居民医保不",
    /// "我能帮我妈交医保不") is the classifier's guess from a few shared words: the other reading stands, so the answer
    /// is never "the notice says nothing about newborns" for a question about something else.</summary>
    private static IntentPrediction WithoutUnnamedBaby(IntentPrediction prediction, string canonical)
    {
        if (prediction.Intent != ChatIntent.Newborn && prediction.RunnerUp != ChatIntent.Newborn || BabyPattern().IsMatch(canonical))
        {
            return prediction;
        }

        return prediction.Intent == ChatIntent.Newborn
            ? prediction with { Intent = prediction.RunnerUp, Score = prediction.RunnerUpScore, RunnerUp = ChatIntent.None, RunnerUpScore = 0, Ambiguous = false, FellBack = prediction.FellBack || prediction.RunnerUp == ChatIntent.None }
            : prediction with { RunnerUp = ChatIntent.None, RunnerUpScore = 0, Ambiguous = false };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"新生|出生|刚生|生了|生孩子|生的|出世|满月|月子|婴儿|宝宝|娃娃|刚落地|小孩|小娃|娃儿|孩子|儿子|女儿|闺女|娃")]
    private static partial System.Text.RegularExpressions.Regex BabyPattern();

    /// <summary>The intent a menu number stands for, or None.</summary>
    public ChatIntent MenuIntent(int number)
    {
        foreach (var rule in vocabulary.Rules)
        {
            if (rule.Menu == number)
            {
                return rule.Intent;
            }
        }

        return ChatIntent.None;
    }

    // "三个交一档两个交二档", "四个人两个交一档": a tier word or a head-count followed by the next people starts a new
    // part even without a comma.
    [System.Text.RegularExpressions.GeneratedRegex(@"[\s，,、；;。]+|还有|另外|再加上|加上|(?<=[一二12]档)(?=[一两俩二三四五六七八九十仨\d]个|其他|其余|剩下|我|俺|老伴|老婆|老公|媳妇|娃|孩子|小孩|爸|妈|爹|娘)|(?<=[口人])(?=[一两俩二三四五六七八九十仨\d]个都?(?:交|是))")]
    private static partial System.Text.RegularExpressions.Regex SegmentSeparators();
}
