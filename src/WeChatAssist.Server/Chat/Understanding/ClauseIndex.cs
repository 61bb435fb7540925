using System.Collections.Concurrent;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>The best sentence of a policy's clauses for a question.</summary>
/// <param name="Clause">The clause the sentence belongs to.</param>
/// <param name="Sentence">The sentence, as the notice writes it.</param>
/// <param name="Score">BM25 score of the sentence (words and character bigrams).</param>
/// <param name="Matched">Share of the question's content words found in the sentence or its clause (0–1).</param>
/// <param name="Distinctive">The highest IDF among the question's words found there: a hit on common words only
/// (交, 医保) is not an answer.</param>
internal sealed record ClauseHit(PolicyClause Clause, string Sentence, double Score, double Matched, double Distinctive = 0);

/// <summary>Retrieves the clause sentence that answers a question the engine cannot compute: BM25 over each
/// policy's clause sentences, terms are jieba words (weight 1) and character bigrams (weight 0.5) of the canonical
/// text, so "可以交现金吗" finds the sentence forbidding refusing cash.</summary>
internal sealed class ClauseIndex(ChineseSegmenter segmenter, TextNormalizer normalizer)
{
    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double BigramWeight = 0.5;

    // Words that ask rather than say: they never decide which clause answers.
    private static readonly HashSet<string> QuestionWords = new(StringComparer.Ordinal)
    {
        "怎么", "怎么办", "怎样", "如何", "什么", "哪里", "哪儿", "哪个", "哪些", "多少", "可以", "能不能", "能", "吗", "呢", "吧",
        "需要", "要", "是不是", "是否", "有没有", "没有", "一下", "请问", "我", "我们", "你们", "他", "她", "的", "了", "是", "在",
        "有", "和", "还", "也", "都", "就", "去", "给", "啥", "咋", "咋个", "啥子", "嘛", "不", "会", "得", "到", "这个", "那个",
    };

    private readonly ConcurrentDictionary<string, PolicyIndex> _indexes = new(StringComparer.Ordinal);

    /// <summary>The best sentence for <paramref name="canonical"/> in <paramref name="policy"/>'s clauses, or null.</summary>
    public ClauseHit? Find(string canonical, InsurancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(policy);
        var index = _indexes.GetOrAdd(policy.Id, _ => Build(policy));
        var query = Terms(canonical, question: true);
        if (query.Count == 0)
        {
            return null;
        }

        // The share matched counts words only: bigrams straddling a question word ("要带") would dilute it.
        var totalWeight = query.Where(q => q.Key[0] != '\u0001').Sum(q => q.Value);
        ClauseHit? best = null;
        for (var i = 0; i < index.Units.Count; i++)
        {
            var unit = index.Units[i];
            double score = 0;
            double matched = 0;
            double distinctive = 0;
            foreach (var (term, weight) in query)
            {
                if (unit.Terms.TryGetValue(term, out var tf))
                {
                    var idf = index.Idf[term];
                    score += weight * idf * (tf * (K1 + 1)) / (tf + (K1 * (1 - B + (B * unit.Length / index.AverageLength))));
                }

                if (term[0] != '\u0001' && (unit.Terms.ContainsKey(term) || unit.ClauseTerms.Contains(term)))
                {
                    matched += weight;
                    distinctive = term.Length >= 2 ? Math.Max(distinctive, index.Idf.GetValueOrDefault(term)) : distinctive;
                }
            }

            if (score > 0 && (best is null || score > best.Score))
            {
                best = new ClauseHit(unit.Clause, unit.Sentence, score, totalWeight == 0 ? 0 : matched / totalWeight, distinctive);
            }
        }

        return best;
    }

    /// <summary>The segmenter used (also for slot words).</summary>
    public ChineseSegmenter Segmenter => segmenter;

    private PolicyIndex Build(InsurancePolicy policy)
    {
        var units = new List<Unit>();
        foreach (var clause in policy.Clauses)
        {
            var clauseTerms = Terms(Canonical(clause.Text), question: false).Keys.ToHashSet(StringComparer.Ordinal);
            foreach (var sentence in Sentences(clause.Text))
            {
                var terms = Terms(Canonical(sentence), question: false);
                if (terms.Count > 0)
                {
                    units.Add(new Unit(clause, sentence, terms, terms.Values.Sum(), clauseTerms));
                }
            }
        }

        var documentFrequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            foreach (var term in unit.Terms.Keys)
            {
                documentFrequency[term] = documentFrequency.GetValueOrDefault(term) + 1;
            }
        }

        var idf = documentFrequency.ToDictionary(p => p.Key, p => Math.Log(1 + ((units.Count - p.Value + 0.5) / (p.Value + 0.5))), StringComparer.Ordinal);
        return new PolicyIndex(units, idf, units.Count == 0 ? 1 : units.Average(u => u.Length));
    }

    private string Canonical(string text) => normalizer.Canonicalize(normalizer.Clean(text));

    private Dictionary<string, double> Terms(string canonical, bool question)
    {
        var terms = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var word in segmenter.Cut(canonical))
        {
            if ((word.Length >= 2 || IsHan(word[0])) && !(question && QuestionWords.Contains(word)) && !(word.Length == 1 && QuestionWords.Contains(word)))
            {
                terms[word] = terms.GetValueOrDefault(word) + 1;
            }
        }

        for (var i = 0; i + 1 < canonical.Length; i++)
        {
            if (IsHan(canonical[i]) && IsHan(canonical[i + 1]))
            {
                var bigram = canonical.Substring(i, 2);
                if (!(question && QuestionWords.Contains(bigram)))
                {
                    terms["\u0001" + bigram] = terms.GetValueOrDefault("\u0001" + bigram) + BigramWeight;
                }
            }
        }

        return terms;
    }

    private static bool IsHan(char c) => c is >= '\u4e00' and <= '\u9fff';

    /// <summary>The sentences of a clause: split after 。；! ? and before numbered items ("2.").</summary>
    public static IReadOnlyList<string> Sentences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var end = text[i] is '。' or '；' or ';' or '！' or '？' or '\n';
            var item = i > start && i + 1 < text.Length && char.IsAsciiDigit(text[i]) && text[i + 1] is '.' or '．' or '、' && (i == 0 || !char.IsAsciiDigit(text[i - 1]));
            if (item)
            {
                Add(text[start..i]);
                start = i;
            }
            else if (end)
            {
                Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        Add(text[start..]);
        return sentences;

        void Add(string sentence)
        {
            var trimmed = sentence.Trim();
            if (trimmed.Length >= 4)
            {
                sentences.Add(trimmed);
            }
        }
    }

    private sealed record Unit(PolicyClause Clause, string Sentence, Dictionary<string, double> Terms, double Length, HashSet<string> ClauseTerms);

    private sealed record PolicyIndex(IReadOnlyList<Unit> Units, Dictionary<string, double> Idf, double AverageLength);
}
