using System.Buffers;

namespace WeChatAssist.Server.Chat.Understanding;

/// <summary>The classifier's verdict: best intent, runner-up, and whether to answer, clarify or fall back.</summary>
/// <param name="Intent">Best intent (None when nothing scored).</param>
/// <param name="Score">Its score (BM25 of the best example plus rule weights).</param>
/// <param name="RunnerUp">Second-best intent.</param>
/// <param name="RunnerUpScore">Its score.</param>
/// <param name="Confidence">Score / (score + runner-up score), 0 when nothing scored.</param>
/// <param name="FellBack">Below the confidence threshold: show the menu rather than guess.</param>
/// <param name="Ambiguous">Runner-up too close: ask which of the two is meant.</param>
internal sealed record IntentPrediction(ChatIntent Intent, double Score, ChatIntent RunnerUp, double RunnerUpScore, double Confidence, bool FellBack, bool Ambiguous);

/// <summary>Rules plus character-bigram BM25 over the question bank's examples, with a minimum score and an ambiguity ratio.</summary>
internal sealed class IntentClassifier
{
    private const double K1 = 1.2;
    private const double B = 0.75;

    // Single characters say little about the question ("交" is in most of them); bigrams carry the meaning.
    private const double UnigramWeight = 0.3;
    private static readonly int IntentCount = Enum.GetValues<ChatIntent>().Length;

    private readonly Dictionary<int, (int Doc, int Count)[]> _postings;
    private readonly Dictionary<int, double> _idf;
    private readonly ChatIntent[] _docIntents;
    private readonly double[] _docLengthNorm;
    private readonly IReadOnlyList<IntentRule> _rules;
    private readonly double _minimumScore;
    private readonly double _ambiguityRatio;

    /// <summary>Indexes <paramref name="examples"/> (already canonical, fillers stripped).</summary>
    public IntentClassifier(IReadOnlyList<(string Text, ChatIntent Intent)> examples, IReadOnlyList<IntentRule> rules, double minimumScore, double ambiguityRatio)
    {
        ArgumentNullException.ThrowIfNull(examples);
        _rules = rules;
        _minimumScore = minimumScore;
        _ambiguityRatio = ambiguityRatio;
        _docIntents = examples.Select(e => e.Intent).ToArray();
        var lengths = new int[examples.Count];
        var postings = new Dictionary<int, List<(int, int)>>();
        for (var doc = 0; doc < examples.Count; doc++)
        {
            var counts = new Dictionary<int, int>();
            foreach (var token in Tokens(examples[doc].Text))
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
                lengths[doc]++;
            }

            foreach (var (token, count) in counts)
            {
                if (!postings.TryGetValue(token, out var list))
                {
                    postings[token] = list = [];
                }

                list.Add((doc, count));
            }
        }

        var average = lengths.Length == 0 ? 1 : Math.Max(1, lengths.Average());
        _docLengthNorm = lengths.Select(l => K1 * (1 - B + (B * l / average))).ToArray();
        _postings = postings.ToDictionary(p => p.Key, p => p.Value.ToArray());
        _idf = postings.ToDictionary(
            p => p.Key,
            p => Math.Log(1 + ((examples.Count - p.Value.Count + 0.5) / (p.Value.Count + 0.5))));
    }

    /// <summary>Classifies one message; <paramref name="canonical"/> feeds the rules, <paramref name="stripped"/> the BM25 retrieval.</summary>
    public IntentPrediction Classify(string canonical, string stripped)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        ArgumentNullException.ThrowIfNull(stripped);
        var docScores = ArrayPool<double>.Shared.Rent(Math.Max(1, _docIntents.Length));
        Span<double> intentScores = stackalloc double[IntentCount];
        try
        {
            Array.Clear(docScores, 0, _docIntents.Length);
            foreach (var token in Tokens(stripped))
            {
                if (!_postings.TryGetValue(token, out var postings))
                {
                    continue;
                }

                var idf = _idf[token] * (token >= 0 ? UnigramWeight : 1);
                foreach (var (doc, count) in postings)
                {
                    docScores[doc] += idf * count * (K1 + 1) / (count + _docLengthNorm[doc]);
                }
            }

            for (var doc = 0; doc < _docIntents.Length; doc++)
            {
                var intent = (int)_docIntents[doc];
                if (docScores[doc] > intentScores[intent])
                {
                    intentScores[intent] = docScores[doc];
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(docScores);
        }

        foreach (var rule in _rules)
        {
            if (rule.MaxLength is { } maxLength && canonical.Length > maxLength)
            {
                continue;
            }

            foreach (var (keyword, weight) in rule.Keywords)
            {
                if (canonical.Contains(keyword, StringComparison.Ordinal))
                {
                    intentScores[(int)rule.Intent] += weight;
                }
            }
        }

        var best = ChatIntent.None;
        var second = ChatIntent.None;
        for (var i = 1; i < IntentCount; i++)
        {
            if (intentScores[i] > intentScores[(int)best])
            {
                second = best;
                best = (ChatIntent)i;
            }
            else if (intentScores[i] > intentScores[(int)second])
            {
                second = (ChatIntent)i;
            }
        }

        var score = intentScores[(int)best];
        var runnerUp = intentScores[(int)second];
        var confidence = score <= 0 ? 0 : score / (score + runnerUp);
        var fellBack = best == ChatIntent.None || score < _minimumScore;
        var ambiguous = !fellBack && second != ChatIntent.None && runnerUp >= score * _ambiguityRatio;
        return new IntentPrediction(best, score, second, runnerUp, confidence, fellBack, ambiguous);
    }

    /// <summary>Character unigrams and bigrams, packed into ints.</summary>
    private static IEnumerable<int> Tokens(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            yield return text[i];
            if (i + 1 < text.Length)
            {
                yield return (text[i] << 16) | text[i + 1] | int.MinValue;
            }
        }
    }
}
