using WeChatAssist.Policy;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>Residents' words for what the notices say in words (<c>localization/chat/clause-words.zh-Hans.yaml</c>):
/// whether a message asks words or a computed amount/date, the notice terms its everyday words stand for, and the
/// place names that make it another county's question.</summary>
internal sealed partial class ClauseWords
{
    /// <summary>File name inside <see cref="ChatVocabulary.Folder"/>.</summary>
    public const string FileName = "clause-words.zh-Hans.yaml";

    private readonly WordIndex _asksWords;
    private readonly WordIndex _asksComputed;
    private readonly (string Word, string[] Terms)[] _expansions;
    private readonly WordIndex _expansionWords;
    private readonly char[] _placeEnds;
    private readonly string[] _notPlaces;
    private readonly WordIndex _foreignTopics;
    private readonly WordIndex _ownTopics;
    private readonly WordIndex _unableMarks;
    private readonly WordIndex _asksDefinition;
    private readonly WordIndex _tieredForeignTopics;
    private readonly WordIndex _schemeNames;

    private ClauseWords(string[] asksWords, string[] asksComputed, (string, string[])[] expansions, char[] placeEnds, string[] notPlaces, string[]? foreignTopics = null, string[]? ownTopics = null, string[]? coverageMarks = null, string[]? unableMarks = null, string[]? asksDefinition = null, string[]? tieredForeignTopics = null, string[]? schemeNames = null)
    {
        _tieredForeignTopics = new WordIndex(tieredForeignTopics ?? []);
        _schemeNames = new WordIndex(schemeNames ?? []);
        _asksDefinition = new WordIndex(asksDefinition ?? []);
        _unableMarks = new WordIndex(unableMarks ?? []);
        _foreignTopics = new WordIndex(foreignTopics ?? []);
        _ownTopics = new WordIndex(ownTopics ?? []);
        CoverageMarks = coverageMarks ?? [];
        _asksWords = new WordIndex(asksWords);
        _asksComputed = new WordIndex(asksComputed);
        _expansions = expansions;
        _expansionWords = new WordIndex(expansions.Select(e => e.Item1));
        _placeEnds = placeEnds;
        _notPlaces = notPlaces;
    }

    /// <summary>No words: nothing asked in words, nothing expanded (for callers without the file).</summary>
    public static ClauseWords Empty { get; } = new([], [], [], [], []);

    /// <summary>Loads the file, each word normalised as messages are.</summary>
    public static ClauseWords Load(string path, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(normalize);
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();
        var file = deserializer.Deserialize<WordsFile>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty.");
        if (file.AsksWords.Count == 0 || file.AsksComputed.Count == 0)
        {
            throw new InvalidDataException($"{path}: asksWords and asksComputed are required.");
        }

        // Each resident word lists every notice term it stands for, so one lookup per word expands the message.
        var byWord = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (term, words) in file.Expansions)
        {
            foreach (var word in words.Select(normalize).Where(w => w.Length > 0))
            {
                if (!byWord.TryGetValue(word, out var terms))
                {
                    byWord[word] = terms = [];
                }

                terms.Add(normalize(term));
            }
        }

        return new ClauseWords(
            [.. file.AsksWords.Select(normalize).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal)],
            [.. file.AsksComputed.Select(normalize).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal)],
            [.. byWord.Select(p => (p.Key, p.Value.Distinct(StringComparer.Ordinal).ToArray()))],
            [.. file.Places.Where(p => p.Length == 1).Select(p => p[0])],
            [.. file.NotPlaces.Where(w => w.Length > 0)],
            [.. file.ForeignTopics.Where(w => w.Length > 0)],
            [.. file.OwnTopics.Where(w => w.Length > 0)],
            [.. file.CoverageMarks.Where(w => w.Length > 0)],
            [.. file.UnableMarks.Select(normalize).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal)],
            [.. file.AsksDefinition.Select(normalize).Where(w => w.Length > 0).Distinct(StringComparer.Ordinal)],
            [.. file.TieredForeignTopics.Where(w => w.Length > 0)],
            [.. file.SchemeNames.Where(w => w.Length > 0)])
        {
            LateRules = file.LateRules.ToDictionary(
                r => r.Key,
                r => ((string[])[.. r.Value.Asks.Select(normalize).Where(w => w.Length > 0)], (string[])[.. r.Value.Marks.Where(w => w.Length > 0)]),
                StringComparer.Ordinal),
        };
    }

    /// <summary>Per late-payment rule (nextMonth, waiting, fiscal): the words asking about it and the words marking
    /// the notice's sentence that states it.</summary>
    public IReadOnlyDictionary<string, (string[] Asks, string[] Marks)> LateRules { get; private init; } = new Dictionary<string, (string[], string[])>();

    /// <summary>The marks of <paramref name="rule"/>'s sentence when <paramref name="canonical"/> asks about that rule; null otherwise.</summary>
    public string[]? LateRuleMarks(string rule, string canonical) =>
        LateRules.TryGetValue(rule, out var words) && words.Asks.Any(a => canonical.Contains(a, StringComparison.Ordinal)) ? words.Marks : null;

    /// <summary>Words that make a policy fact a benefit (what the insurance pays).</summary>
    public IReadOnlyList<string> CoverageMarks { get; }

    /// <summary>The message names this scheme itself (居民医保, 新农合, a tier) or asks whether one may join it too
    /// ("还能参加", "还要交这个"): <paramref name="clean"/> is the text before synonyms are rewritten.</summary>
    public bool OwnTopic(string clean) => _ownTopics.FirstIn(clean) >= 0;

    /// <summary>See <see cref="OwnTopic"/>: the message names another scheme, fee or service and not this one.</summary>
    public bool ForeignTopic(string clean) => _foreignTopics.FirstIn(clean) >= 0 && !OwnTopic(clean);

    /// <summary>See <see cref="ForeignTopic"/>: another scheme that has tiers of its own (城乡居民养老保险), so a tier in
    /// the message does not make it this scheme's question, unless the message names this scheme too.</summary>
    public bool TieredForeignTopic(string clean) => _tieredForeignTopics.FirstIn(clean) >= 0 && _schemeNames.FirstIn(clean) < 0;

    /// <summary>The message asks something the notice answers in words (who, which office, what to bring…).</summary>
    public bool AsksWords(string canonical) => _asksWords.FirstIn(canonical) >= 0;

    /// <summary>The message asks what a group is or who recognises it ("包括哪些人", "谁认定的"): the clauses defining
    /// the group named answer it.</summary>
    public bool AsksDefinition(string canonical) => _asksDefinition.FirstIn(canonical) >= 0;

    /// <summary>The message asks an amount or a date.</summary>
    /// <remarks>("交钱之前要注意点啥": paying named as a moment, not whether or what one pays.)</remarks>
    public bool AsksComputed(string canonical) => _asksComputed.FirstIn(PayingMomentPattern().Replace(canonical, "时")) >= 0;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?:交钱|交费|缴费|交医保)(?:之前|以前|前|的时候|时候|时)")]
    private static partial System.Text.RegularExpressions.Regex PayingMomentPattern();

    /// <summary>Where in <paramref name="canonical"/> the words a resident says he cannot use start ("不会用|手机"):
    /// the position right after each unable mark.</summary>
    public IEnumerable<int> UnableStarts(string canonical) => _unableMarks.EndsIn(canonical);

    /// <summary>The notice terms the everyday words of <paramref name="canonical"/> stand for.</summary>
    public IEnumerable<string> Expansions(string canonical)
    {
        // In the file's order, as a scan of every word would give them.
        foreach (var found in _expansionWords.AllIn(canonical))
        {
            foreach (var term in _expansions[found].Terms)
            {
                yield return term;
            }
        }
    }

    /// <summary>A place named in <paramref name="text"/> (two or three characters before 县, 区 or 市) that the
    /// county's notice never mentions, or null: "西平县的医保多少钱" asked of 遂平县 is another county's question.</summary>
    public string? ForeignPlace(string text, InsurancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(policy);
        for (var i = 2; i < text.Length; i++)
        {
            // "咱县", "俺们县", "这个县": the resident's own county, not a name.
            if (Array.IndexOf(_placeEnds, text[i]) < 0 || _notPlaces.Any(w => Covers(text, i, w)) || OwnPlaceMarks.Contains(text[i - 1]))
            {
                continue;
            }

            foreach (var length in (ReadOnlySpan<int>)[3, 2])
            {
                // "在外县", "住的县": a word of the sentence, not the start of a name.
                if (i - length < 0 || !IsHan(text.AsSpan(i - length, length)) || NotNameStart.Contains(text[i - length]))
                {
                    continue;
                }

                var name = text.Substring(i - length, length);
                if (!Mentioned(policy, name) && !Mentioned(policy, name[^2..]))
                {
                    return name + text[i];
                }

                break;
            }
        }

        return null;
    }

    // The notice, its county and townships name the place: "新民镇", "闻喜县", "重庆市医疗保障局".
    private static bool Mentioned(InsurancePolicy policy, string name) =>
        policy.Name.Contains(name, StringComparison.Ordinal)
        || policy.Title.Contains(name, StringComparison.Ordinal)
        || policy.Issuer.Contains(name, StringComparison.Ordinal)
        || policy.Clauses.Any(c => c.Text.Contains(name, StringComparison.Ordinal))
        || policy.Targets.Any(t => t.Rows.Any(r => r.Name.Contains(name, StringComparison.Ordinal)))
        || policy.Contacts.Any(c => c.Name.Contains(name, StringComparison.Ordinal));

    private const string OwnPlaceMarks = "咱俺我你您们这那本全该外每个";

    private const string NotNameStart = "在的了住到去是我你他她和跟从给对这那哪个各外本全该别其我们每";

    private static bool Covers(string text, int at, string word)
    {
        for (var start = Math.Max(0, at - word.Length + 1); start <= at && start + word.Length <= text.Length; start++)
        {
            if (string.CompareOrdinal(text, start, word, 0, word.Length) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsHan(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '\u4e00' or > '\u9fff')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Words grouped by their first character, so a message is read once rather than once per word (the
    /// file holds hundreds of words and every message is checked against them).</summary>
    private sealed class WordIndex
    {
        private readonly Dictionary<char, (string Word, int Position)[]> _byFirst;

        public WordIndex(IEnumerable<string> words) =>
            _byFirst = words.Select((word, position) => (word, position))
                .Where(w => w.word.Length > 0)
                .GroupBy(w => w.word[0])
                .ToDictionary(g => g.Key, g => g.ToArray());

        /// <summary>The position in the list of the first word found, or -1.</summary>
        public int FirstIn(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (_byFirst.TryGetValue(text[i], out var words))
                {
                    foreach (var (word, position) in words)
                    {
                        if (i + word.Length <= text.Length && string.CompareOrdinal(text, i, word, 0, word.Length) == 0)
                        {
                            return position;
                        }
                    }
                }
            }

            return -1;
        }

        /// <summary>The text positions right after each word found.</summary>
        public IEnumerable<int> EndsIn(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (_byFirst.TryGetValue(text[i], out var words))
                {
                    foreach (var (word, _) in words)
                    {
                        if (i + word.Length <= text.Length && string.CompareOrdinal(text, i, word, 0, word.Length) == 0)
                        {
                            yield return i + word.Length;
                            break;
                        }
                    }
                }
            }
        }

        /// <summary>The positions in the list of every word found, in list order.</summary>
        public List<int> AllIn(string text)
        {
            var found = new List<int>();
            for (var i = 0; i < text.Length; i++)
            {
                if (_byFirst.TryGetValue(text[i], out var words))
                {
                    foreach (var (word, position) in words)
                    {
                        if (i + word.Length <= text.Length && string.CompareOrdinal(text, i, word, 0, word.Length) == 0 && !found.Contains(position))
                        {
                            found.Add(position);
                        }
                    }
                }
            }

            found.Sort();
            return found;
        }
    }

    private sealed class WordsFile
    {
        public List<string> AsksWords { get; set; } = [];

        public List<string> AsksComputed { get; set; } = [];

        public Dictionary<string, List<string>> Expansions { get; set; } = [];

        public List<string> Places { get; set; } = [];

        public List<string> NotPlaces { get; set; } = [];

        public List<string> ForeignTopics { get; set; } = [];

        public List<string> OwnTopics { get; set; } = [];

        public List<string> CoverageMarks { get; set; } = [];

        public List<string> UnableMarks { get; set; } = [];

        public List<string> AsksDefinition { get; set; } = [];

        public List<string> TieredForeignTopics { get; set; } = [];

        public Dictionary<string, LateRuleWords> LateRules { get; set; } = [];

        public List<string> SchemeNames { get; set; } = [];
    }

    private sealed class LateRuleWords
    {
        public List<string> Asks { get; set; } = [];

        public List<string> Marks { get; set; } = [];
    }
}
