using WeChatAssist.Policy;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Words that name a group only under a condition the resident has not given
/// (<c>localization/chat/group-conditions.zh-Hans.yaml</c>): the bot asks the condition instead of assuming it.</summary>
internal sealed class GroupConditions
{
    /// <summary>File name inside <see cref="ChatVocabulary.Folder"/>.</summary>
    public const string FileName = "group-conditions.zh-Hans.yaml";

    private readonly IReadOnlyList<Rule> _rules;
    private readonly string[] _collegeWords;
    private readonly string _collegeAsk;
    private readonly string _studentAsk;
    private readonly System.Text.RegularExpressions.Regex? _relative;
    private readonly string[] _relativeUnless;
    private readonly string _relativeAsk;
    private readonly string[] _householdWords;
    private string[] _payDayWords = [];
    private string _payDayAsk = string.Empty;
    private readonly string[] _householdUnless;
    private readonly string[] _householdPartly;
    private readonly string _householdAsk;
    private readonly string[] _oneInSeveral;
    private string _ageAsk = string.Empty;
    private string _subgroupAsk = string.Empty;
    private string[] _collegeTermWords = [];
    private string[] _atWorkWords = [];
    private string[] _atWorkUnless = [];
    private string[] _atWorkAsks = [];
    private string _atWorkAsk = string.Empty;
    private string[] _collegeTermUnless = [];

    private GroupConditions(IReadOnlyList<Rule> rules, string[] collegeWords, string collegeAsk, string studentAsk, ConditionRule? relatives = null, ConditionRule? household = null)
    {
        _householdWords = [.. household?.Words ?? []];
        _householdUnless = [.. household?.Unless ?? []];
        _householdPartly = [.. household?.Partly ?? []];
        _householdAsk = household?.Ask.Trim() ?? string.Empty;
        _oneInSeveral = [.. household?.OnePerson ?? []];
        // "五保老人的儿子": 的 and a relation word, not after a pronoun ("我的儿子" is the resident's own child).
        _relative = relatives is { Words.Count: > 0 }
            ? new System.Text.RegularExpressions.Regex("(?<![我你他她咱俺们])的(?:" + string.Join('|', relatives.Words.Select(System.Text.RegularExpressions.Regex.Escape)) + ")", System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : null;
        _relativeUnless = [.. relatives?.Unless ?? []];
        _relativeAsk = relatives?.Ask.Trim() ?? string.Empty;
        _rules = rules;
        _collegeWords = collegeWords;
        _collegeAsk = collegeAsk;
        _studentAsk = studentAsk;
    }

    /// <summary>Loads the rules, each word normalised as messages are.</summary>
    public static GroupConditions Load(string path, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(normalize);
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var file = deserializer.Deserialize<ConditionsFile>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty.");
        var rules = new List<Rule>();
        foreach (var rule in file.Conditions)
        {
            if (rule.Words.Count == 0 || rule.Groups.Count == 0 || string.IsNullOrWhiteSpace(rule.Ask))
            {
                throw new InvalidDataException($"{path}: every condition needs words, groups and ask.");
            }

            rules.Add(new Rule([.. rule.Words.Select(normalize).OrderByDescending(w => w.Length)], [.. rule.Unless.Select(normalize)], [.. rule.UnlessBut.Select(normalize)], [.. rule.Groups], rule.Ask.Trim(), rule.AlsoWhenNamed));
        }

        if (file.College.Words.Count == 0 || string.IsNullOrWhiteSpace(file.College.Ask) || string.IsNullOrWhiteSpace(file.Student.Ask))
        {
            throw new InvalidDataException($"{path}: college (words, ask) and student (ask) are required.");
        }

        if (file.Relatives is { Words.Count: > 0 } && string.IsNullOrWhiteSpace(file.Relatives.Ask))
        {
            throw new InvalidDataException($"{path}: relatives needs an ask.");
        }

        if (string.IsNullOrWhiteSpace(file.Age.Ask) || string.IsNullOrWhiteSpace(file.Subgroup.Ask))
        {
            throw new InvalidDataException($"{path}: age (ask) and subgroup (ask) are required.");
        }

        if (file.PayDay is { Words.Count: > 0 } && string.IsNullOrWhiteSpace(file.PayDay.Ask))
        {
            throw new InvalidDataException($"{path}: payDay needs an ask.");
        }

        return new GroupConditions(rules, [.. file.College.Words.Select(normalize)], file.College.Ask.Trim(), file.Student.Ask.Trim(), file.Relatives, file.Household)
        {
            _ageAsk = file.Age.Ask.Trim(),
            _subgroupAsk = file.Subgroup.Ask.Trim(),
            _payDayWords = [.. (file.PayDay?.Words ?? []).Select(normalize).Where(w => w.Length > 0)],
            _payDayAsk = file.PayDay?.Ask.Trim() ?? string.Empty,
            _collegeTermWords = [.. (file.CollegeTerm?.Words ?? []).Select(normalize).Where(w => w.Length > 0)],
            _collegeTermUnless = [.. (file.CollegeTerm?.Unless ?? []).Select(normalize).Where(w => w.Length > 0)],
            _atWorkWords = [.. (file.InsuredAtWork?.Words ?? []).Select(normalize).Where(w => w.Length > 0)],
            _atWorkUnless = [.. (file.InsuredAtWork?.Unless ?? []).Select(normalize).Where(w => w.Length > 0)],
            _atWorkAsks = [.. (file.InsuredAtWork?.Asks ?? []).Select(normalize).Where(w => w.Length > 0)],
            _atWorkAsk = file.InsuredAtWork?.Ask.Trim() ?? string.Empty,
        };
    }

    /// <summary>The question back when the resident will pay "later" without saying when ("我打算晚点再补交 到时候要好多钱")
    /// after the collection window, and what is due or when cover starts still changes: the day decides, so it is asked
    /// (null otherwise).</summary>
    public string? PayDayQuestion(string canonical, InsurancePolicy policy, ChatSlots slots, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(slots);
        // ("几月份以后补交就得多交钱" asks the day itself: the notice's rule answers, not a question back.)
        if (_payDayWords.Length == 0 || slots.Date is not null || !_payDayWords.Any(w => canonical.Contains(w, StringComparison.Ordinal))
            || AskedFigure.StartDay().IsMatch(canonical))
        {
            return null;
        }

        // Once the collection window is over, the late regimes still ahead: two or more, and the day decides. (During
        // the window its deadline and amount answer "later".)
        if (policy.CollectionWindow.To >= today)
        {
            return null;
        }

        return policy.LateRegimes.Count(r => r.Period.To >= today) >= 2 ? _payDayAsk : null;
    }

    /// <summary>Whether several groups named in <paramref name="canonical"/> are several people's groups, each to be
    /// quoted, rather than one person's ("我既是低保又是重残": the engine's one quote for that person).</summary>
    public bool EachGroup(string canonical, ChatSlots slots)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(slots);
        return slots.Categories.Count >= 2 && slots.People is null && slots.Members.Count == 0
            && !_oneInSeveral.Any(w => canonical.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>Whether <paramref name="canonical"/> names a university in Chongqing (重庆, 在渝, 重大, 西南大学…).</summary>
    public bool NamesChongqingCollege(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return _collegeWords.Any(w => canonical.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>The question back when one who works ("厂里给我买了社保", "在外地打工") asks whether he must still pay
    /// here, without saying whether his work insures him (职工医保); null otherwise.</summary>
    public string? InsuredAtWorkQuestion(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return _atWorkAsk.Length > 0 && _atWorkWords.Any(w => canonical.Contains(w, StringComparison.Ordinal))
            && _atWorkAsks.Any(w => canonical.Contains(w, StringComparison.Ordinal))
            && !_atWorkUnless.Any(w => canonical.Contains(w, StringComparison.Ordinal)) ? _atWorkAsk : null;
    }

    /// <summary>Whether <paramref name="canonical"/> asks about the notice's own college group by its name ("大学生交一档
    ///多少"), with no other place said: the notice's group is meant, and the answer shows who it is for.</summary>
    public bool NamesCollegeGroup(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return _collegeTermWords.Any(w => canonical.Contains(w, StringComparison.Ordinal))
            && !_collegeTermUnless.Any(w => canonical.Contains(w, StringComparison.Ordinal));
    }

    /// <summary>Whether <paramref name="slots"/> speak of a university student without saying whether the university is
    /// in Chongqing, under a notice whose college rate (and freshman cover start) is for universities in Chongqing only.</summary>
    public static bool CollegePlaceUnknown(InsurancePolicy policy, ChatSlots slots)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(slots);
        return slots.Student == StudentKind.College && slots.CollegeInChongqing is null && policy.Tiers.Any(t => t.CollegeFen is not null);
    }

    /// <summary>The question to ask when <paramref name="canonical"/> names, for <paramref name="policy"/>, a group
    /// under a condition and no category was found; otherwise null.</summary>
    public string? Question(string canonical, InsurancePolicy policy, ChatSlots slots)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(slots);
        // The college rate is for universities in Chongqing (在渝高校) where the notice has one.
        if (CollegePlaceUnknown(policy, slots))
        {
            return _collegeAsk;
        }

        if (slots.StudentUnspecified && policy.Tiers.Any(t => t.CollegeFen is not null))
        {
            return _studentAsk;
        }

        if (slots.Ordinary)
        {
            return null;
        }

        // A household with neither a head-count nor its members: one person's quote would not be its total.
        if (slots.People is null && slots.Members.Count == 0 && slots.Categories.Count == 0 && _householdWords.Any(w => canonical.Contains(w, StringComparison.Ordinal))
            && !_householdUnless.Any(w => canonical.Contains(w, StringComparison.Ordinal)))
        {
            return _householdAsk;
        }

        // Several people and both tiers, the parts not told apart ("五口人有的交一档有的交二档"): who pays which is asked.
        if (slots.People is >= 2 && slots.Members.Count == 0 && slots.BothTiers)
        {
            return _householdAsk;
        }

        // Several people and a group said of only some of them, the parts not told apart: quoting all of them in the
        // group would be a wrong total.
        if (slots.People is >= 2 && slots.Members.Count == 0 && slots.Categories.Count > 0 && _householdPartly.Any(w => canonical.Contains(w, StringComparison.Ordinal)))
        {
            return _householdAsk;
        }

        // An age that a group's age condition takes in (004: 低收入家庭 members at 60 or over), no group said: the age
        // alone does not make the person a member, so the other condition is asked, never assumed either way.
        if (slots.Categories.Count == 0 && slots.AgeStated && !slots.Newborn && slots.Age is { } age && slots.Members.Count == 0
            && policy.Categories.FirstOrDefault(c => c.Status == SubsidyStatus.Stated && c.Age is { } a && (age >= a.AtLeast || age < a.Below)) is { } aged)
        {
            return _ageAsk.Replace("{group}", aged.Name, StringComparison.Ordinal);
        }

        // A group the notice gives no subsidy of its own (脱贫人口) while a subsidised group of the same notice is a
        // kind of it (脱贫不稳定人口, monitored): which one the person is decides the amount, so it is asked.
        if (slots.Categories.Count == 1 && slots.RiskCleared is null && policy.FindCategoryByCode(slots.Categories[0]) is { Status: SubsidyStatus.NoSubsidy } bare
            && Subgroups(policy, bare) is { Count: > 0 } kinds)
        {
            return _subgroupAsk.Replace("{group}", bare.Name, StringComparison.Ordinal).Replace("{groups}", string.Join('、', kinds), StringComparison.Ordinal);
        }

        // A relative of a group member: the group named is not the person asked about.
        if (_relative is not null && slots.Categories.Count > 0 && _relative.IsMatch(canonical)
            && slots.Categories.Select(policy.FindCategoryByCode).OfType<SubsidyCategory>().Any(c => !_relativeUnless.Any(w => c.Name.Contains(w, StringComparison.Ordinal))))
        {
            return _relativeAsk;
        }

        foreach (var (words, unless, unlessBut, groups, ask, alsoWhenNamed) in _rules)
        {
            // A word that resolved to one of the rule's own groups ("建档立卡户" → 脱贫人口 where the notice also has
            // 返贫致贫 and monitored groups the same households may now belong to) still leaves the condition open.
            var named = slots.Categories.Count > 0;
            if (named && !(alsoWhenNamed && slots.Categories.All(code => groups.Any(g => policy.FindCategory(g)?.Code == code))))
            {
                continue;
            }

            // ("一个一级一个三级": a word giving the condition for one person does not give it for the other.)
            var given = unless.Any(w => canonical.Contains(w, StringComparison.Ordinal)) && !unlessBut.Any(w => canonical.Contains(w, StringComparison.Ordinal));
            if (words.Any(w => Affirmed(canonical, w)) && !given
                && groups.Any(g => policy.FindCategory(g) is not null))
            {
                return ask;
            }
        }

        return null;
    }

    // Subsidised groups whose name or an alias holds the bare group's stem (脱贫人口 → 脱贫 → 脱贫不稳定人口).
    private static List<string> Subgroups(InsurancePolicy policy, SubsidyCategory bare)
    {
        var stem = bare.Name;
        foreach (var suffix in (string[])["人口", "人员", "对象", "户"])
        {
            if (stem.Length > suffix.Length + 1 && stem.EndsWith(suffix, StringComparison.Ordinal))
            {
                stem = stem[..^suffix.Length];
                break;
            }
        }

        return [.. policy.Categories
            .Where(c => c.Code != bare.Code && c.Status == SubsidyStatus.Stated)
            .SelectMany(c => (IEnumerable<string>)[c.Name, .. c.Aliases])
            .Where(n => n.Contains(stem, StringComparison.Ordinal) && n != bare.Name && n.IndexOf('（', StringComparison.Ordinal) < 0)
            .Distinct()];
    }

    // "没有残疾": a denied word raises no condition.
    private static bool Affirmed(string canonical, string word)
    {
        for (var at = canonical.IndexOf(word, StringComparison.Ordinal); at >= 0; at = canonical.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var before = canonical.AsSpan(0, at);
            if (!(before.EndsWith("没有") || before.EndsWith("没") || before.EndsWith("不是") || before.EndsWith("非") || before.EndsWith("无")))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class ConditionsFile
    {
        public List<ConditionRule> Conditions { get; set; } = [];

        public ConditionRule College { get; set; } = new();

        public ConditionRule Student { get; set; } = new();

        public ConditionRule? CollegeTerm { get; set; }

        public ConditionRule? InsuredAtWork { get; set; }

        public ConditionRule? Relatives { get; set; }

        public ConditionRule? Household { get; set; }

        public ConditionRule Age { get; set; } = new();

        public ConditionRule Subgroup { get; set; } = new();

        public ConditionRule? PayDay { get; set; }
    }

    private sealed record Rule(string[] Words, string[] Unless, string[] UnlessBut, string[] Groups, string Ask, bool AlsoWhenNamed);

    private sealed class ConditionRule
    {
        public List<string> Words { get; set; } = [];

        public List<string> Unless { get; set; } = [];

        public List<string> UnlessBut { get; set; } = [];

        public List<string> Groups { get; set; } = [];

        public string Ask { get; set; } = string.Empty;

        public List<string> Partly { get; set; } = [];

        public List<string> OnePerson { get; set; } = [];

        public List<string> Asks { get; set; } = [];

        public bool AlsoWhenNamed { get; set; }
    }
}
