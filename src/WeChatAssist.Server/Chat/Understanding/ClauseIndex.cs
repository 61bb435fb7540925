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
/// <param name="ExampleMatched">Share of the question's content words found in the residents' question filed under
/// the clause that it matches best (0 when none): a message much like a question the notice answers in words.</param>
/// <param name="NoticeMatched">Share of the question's content words found in the notice's own words of the clause
/// (its residents' questions left out).</param>
/// <param name="Also">Another clause's sentence that scores nearly as well (its clause and sentence), or null: the
/// answer may rest on either, so both are said.</param>
/// <param name="SaidWords">How many content words the question has (question words left out).</param>
internal sealed record ClauseHit(PolicyClause Clause, string Sentence, double Score, double Matched, double Distinctive = 0, double ExampleMatched = 0, double NoticeMatched = 0, (PolicyClause Clause, string Sentence)? Also = null, int SaidWords = 0);

/// <summary>A message's retrieval terms (jieba words and character bigrams with their weights), cut once.</summary>
/// <param name="Terms">Term and weight; bigrams are prefixed with U+0001.</param>
/// <param name="WordWeight">The summed weight of the words (bigrams excluded).</param>
/// <param name="Words">The words said (no bigrams, no expansions), for the share matched.</param>
internal sealed record ClauseQuery(KeyValuePair<string, double>[] Terms, double WordWeight, KeyValuePair<string, double>[]? Words = null);

/// <summary>Retrieves the clause sentence that answers a question the engine cannot compute: BM25 over each
/// policy's clause sentences, terms are jieba words (weight 1) and character bigrams (weight 0.5) of the canonical
/// text, so "可以交现金吗" finds the sentence forbidding refusing cash.</summary>
internal sealed class ClauseIndex(ChineseSegmenter segmenter, TextNormalizer normalizer, ClauseWords? words = null, ClauseExamples? examples = null)
{
    // The notice terms a resident's everyday words stand for weigh less than the words said.
    private const double ExpansionWeight = 0.7;
    private const double UnknownWordShare = 0.5;
    private const double SecondSentenceShare = 0.6;

    // Another clause whose best sentence scores this close to the best is said too: residents' words often fit two
    // clauses nearly as well ("户口不在这 住了好多年 能在这参保吗": who may enrol, and where those living here enrol).
    private const double AlsoShare = 0.7;
    private const double PreferredBoost = 1.3;

    // "不会用手机 去哪交": what the resident cannot use points away from its clause (the online channels), so its words
    // weigh little; the words after the mark, up to this many characters, are those.
    private const double UnableWeight = 0.2;
    private const int UnableSpan = 4;

    // A sentence's clause as a whole also counts: residents' words for one answer are often spread over the clause's
    // sentences (its heading, its subject, the rule), so a sentence that matches some words is ranked up by the words
    // its clause holds elsewhere. Only sentences matching on their own are ranked.
    private const double ClauseShare = 0.8;

    // Residents' questions filed under a clause (ClauseExamples) rank its sentences up by how well the message matches
    // the closest of them: the words residents use for a clause are often not the notice's.
    private const double ExampleShare = 0.6;

    private const double K1 = 1.2;
    private const double B = 0.75;
    private const double BigramWeight = 0.5;

    // Words that ask rather than say: they never decide which clause answers.
    private static readonly HashSet<string> QuestionWords = new(StringComparer.Ordinal)
    {
        "怎么", "怎么办", "怎样", "如何", "什么", "哪里", "哪儿", "哪个", "哪些", "多少", "可以", "能不能", "能", "吗", "呢", "吧",
        "需要", "要", "是不是", "是否", "有没有", "没有", "一下", "请问", "我", "我们", "你们", "他", "她", "的", "了", "是", "在",
        "有", "和", "还", "也", "都", "就", "去", "给", "啥", "咋", "咋个", "啥子", "嘛", "不", "会", "得", "到", "这个", "那个",
        "谁", "哪", "哪家", "为什么", "为何", "怎么回事", "算不算", "会不会", "管不管", "对不对", "行不行", "要不要", "没", "么",
        "医保", "交医保", "一下", "这", "那", "个", "些", "吧",
    };

    // A sentence this short is a heading ("宣传发动。"): the answer carries the clause's next sentence too.
    private const int HeadingLength = 16;

    // The longest numbered list said whole (two or three short items).
    private const int ListLength = 200;

    private readonly ConcurrentDictionary<string, PolicyIndex> _indexes = new(StringComparer.Ordinal);

    /// <summary>Builds the index of each of <paramref name="policies"/> now, so the first message does not pay for it.</summary>
    public void Prepare(IEnumerable<InsurancePolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        foreach (var policy in policies)
        {
            _indexes.GetOrAdd(policy.Id, _ => Build(policy));
        }
    }

    /// <summary>The query terms of <paramref name="canonical"/> (one jieba cut), to be reused for every lookup of the
    /// same message.</summary>
    public ClauseQuery Query(string canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var terms = Terms(canonical, question: true);
        foreach (var start in (words ?? ClauseWords.Empty).UnableStarts(canonical))
        {
            var span = canonical.Substring(start, Math.Min(UnableSpan, canonical.Length - start));
            foreach (var key in terms.Keys.Where(k => span.Contains(k[0] == '\u0001' ? k[1..] : k, StringComparison.Ordinal)).ToList())
            {
                terms[key] *= UnableWeight;
            }
        }

        // The share matched counts words only: bigrams straddling a question word ("要带") would dilute it.
        KeyValuePair<string, double>[] said = [.. terms.Where(q => q.Key[0] != '\u0001')];
        var wordWeight = said.Sum(q => q.Value);
        // "屋头的人帮我交" also searches for the notice's 委托他人: each term cut as the clauses are.
        foreach (var term in (words ?? ClauseWords.Empty).Expansions(canonical).Distinct(StringComparer.Ordinal))
        {
            foreach (var (key, weight) in Terms(term, question: true))
            {
                terms[key] = Math.Max(terms.GetValueOrDefault(key), weight * ExpansionWeight);
            }
        }

        return new ClauseQuery([.. terms], wordWeight, said);
    }

    /// <summary>The best sentence for <paramref name="canonical"/> in <paramref name="policy"/>'s clauses, or null.</summary>
    public ClauseHit? Find(string canonical, InsurancePolicy policy) => Find(Query(canonical), policy);

    /// <summary>A task table's row (or its total, for no row) as the sentence the index holds and answers quote.</summary>
    public static string TargetSentence(TargetTable table, TownshipTarget? row)
    {
        ArgumentNullException.ThrowIfNull(table);
        return row is null ? $"{table.Title}：合计{table.Total}{table.Unit}" : $"{table.Title}：{row.Name}{row.Count}{table.Unit}";
    }

    /// <summary>The best sentence for <paramref name="understood"/> in <paramref name="policy"/>'s clauses, or null;
    /// the message is cut and looked up once, whatever the number of calls.</summary>
    public ClauseHit? Find(UnderstoodMessage understood, InsurancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(understood);
        ArgumentNullException.ThrowIfNull(policy);
        if (understood.ClauseLookup is { } done && ReferenceEquals(done.Policy, policy))
        {
            return done.Hit;
        }

        // "计生奖扶对象由哪个部门认定": the clauses defining the group named are the likelier answer, when what the group
        // is or who recognises it is asked (not where its subsidy comes from, which another clause says).
        var named = understood.Slots.Categories.Count == 0 || !(words ?? ClauseWords.Empty).AsksDefinition(understood.Canonical)
            ? null
            : understood.Slots.Categories.Select(policy.FindCategoryByCode).OfType<SubsidyCategory>().SelectMany(c => c.Cites).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var hit = Find(QueryOf(understood), policy, named);
        understood.ClauseLookup = (policy, hit);
        return hit;
    }

    /// <summary>The best sentence of the clauses <paramref name="clauseIds"/> for <paramref name="understood"/> (the
    /// clauses a computed answer rests on, for the reason a why-question asks), or null.</summary>
    public ClauseHit? FindWithin(UnderstoodMessage understood, InsurancePolicy policy, IReadOnlySet<string> clauseIds, IReadOnlyCollection<string>? naming = null)
    {
        ArgumentNullException.ThrowIfNull(understood);
        return Find(QueryOf(understood), policy, within: clauseIds, naming: naming);
    }

    // The message is cut once, whatever the number of lookups.
    private ClauseQuery QueryOf(UnderstoodMessage understood) => understood.ClauseQuery ??= Query(understood.Canonical);

    /// <summary>The best sentence for <paramref name="query"/>: only the sentences sharing a term with it (the
    /// inverted index built once per policy) are scored.</summary>
    public ClauseHit? Find(ClauseQuery query, InsurancePolicy policy, IReadOnlySet<string>? preferred = null, IReadOnlySet<string>? within = null, IReadOnlyCollection<string>? naming = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(policy);
        if (query.Terms.Length == 0)
        {
            return null;
        }

        var index = _indexes.GetOrAdd(policy.Id, _ => Build(policy));
        var count = index.Units.Count;
        var rented = count > 512 ? System.Buffers.ArrayPool<double>.Shared.Rent(count) : null;
        var scores = rented is null ? stackalloc double[count] : rented.AsSpan(0, count);
        scores.Clear();
        try
        {
            index.Sentences.Score(query, scores);
            if (index.Clauses.Postings.Count > 0)
            {
                var clauseCount = index.Clauses.Norms.Length;
                Span<double> clauseScores = clauseCount <= 256 ? stackalloc double[clauseCount] : new double[clauseCount];
                clauseScores.Clear();
                index.Clauses.Score(query, clauseScores);

                for (var i = 0; i < count; i++)
                {
                    scores[i] += scores[i] > 0 ? ClauseShare * clauseScores[index.ClauseOf[i]] : 0;
                }
            }

            // The clause whose residents' questions the message matches best, and how well (per clause).
            var exampleOf = index.ExampleClause.Length == 0 ? null : BestExamples(query, index);
            if (exampleOf is not null)
            {
                for (var i = 0; i < count; i++)
                {
                    var (score, _) = exampleOf[index.ClauseOf[i]];
                    scores[i] += ExampleShare * score;
                }
            }

            if (preferred is { Count: > 0 })
            {
                for (var i = 0; i < count; i++)
                {
                    scores[i] *= preferred.Contains(index.Units[i].Clause.Id) ? PreferredBoost : 1;
                }
            }

            if (within is not null)
            {
                for (var i = 0; i < count; i++)
                {
                    // A clause listing many groups ("三、"): only the sentences naming the group asked about.
                    scores[i] = within.Contains(index.Units[i].Clause.Id) && (naming is null || naming.Any(index.Units[i].Sentence.Contains)) ? scores[i] : 0;
                }
            }

            // Ties keep the earlier sentence, as the full scan did.
            var bestUnit = -1;
            for (var i = 0; i < count; i++)
            {
                if (scores[i] > 0 && (bestUnit < 0 || scores[i] > scores[bestUnit]))
                {
                    bestUnit = i;
                }
            }

            if (bestUnit < 0)
            {
                return null;
            }

            // A clause found only through a residents' question filed under it ("收现金不" ~ "村干部收的现金好久要交上去"),
            // none of whose sentences holds the message's own words: its sentence closest to that question answers.
            if (exampleOf is not null && exampleOf[index.ClauseOf[bestUnit]] is { Score: > 0, Example: var chosen }
                && !query.Terms.Any(t => index.Units[bestUnit].Terms.ContainsKey(t.Key)))
            {
                var byExample = new double[count];
                index.Sentences.Score(new ClauseQuery([.. index.ExampleTerms[chosen]], 0), byExample);
                var clause = index.ClauseOf[bestUnit];
                for (var i = 0; i < count; i++)
                {
                    bestUnit = index.ClauseOf[i] == clause && byExample[i] > byExample[bestUnit] ? i : bestUnit;
                }
            }

            var best = index.Units[bestUnit];
            // The clause's other sentence that scores nearly as well is said too, in the notice's order: the key words
            // of one answer are often split over two sentences ("考核指标有两项" … "两项均完成的为A档").
            var second = -1;
            for (var i = bestUnit - 1; i >= 0 && index.Units[i].Clause == best.Clause; i--)
            {
                second = scores[i] >= scores[bestUnit] * SecondSentenceShare && (second < 0 || scores[i] > scores[second]) ? i : second;
            }

            for (var i = bestUnit + 1; i < count && index.Units[i].Clause == best.Clause; i++)
            {
                second = scores[i] >= scores[bestUnit] * SecondSentenceShare && (second < 0 || scores[i] > scores[second]) ? i : second;
            }

            var also = -1;
            for (var i = 0; i < count; i++)
            {
                if (index.Units[i].Clause != best.Clause && scores[i] >= scores[bestUnit] * AlsoShare && (also < 0 || scores[i] > scores[also]))
                {
                    also = i;
                }
            }

            var sentence = second < 0 || index.Units[second].Sentence.Contains(best.Sentence, StringComparison.Ordinal) || best.Sentence.Contains(index.Units[second].Sentence, StringComparison.Ordinal)
                ? best.Sentence
                : second < bestUnit ? Join(index.Units[second].Sentence, best.Sentence) : Join(best.Sentence, index.Units[second].Sentence);
            // A sentence cut at a semicolon goes on in the next ("…正常缴费选择“2024年”；" … "…请选择“特殊人群”"): when the
            // message's words are there too, both are said.
            var next = bestUnit + 1;
            // (A heading's unit already holds the sentence after it.)
            while (next < count && index.Units[next].Clause == best.Clause && sentence.Contains(index.Units[next].Sentence, StringComparison.Ordinal))
            {
                next++;
            }

            if (sentence.EndsWith(best.Sentence, StringComparison.Ordinal) && best.Sentence.Length > 0 && best.Sentence[^1] is '；' or ';'
                && next < count && index.Units[next].Clause == best.Clause && scores[next] > 0 && !sentence.Contains(index.Units[next].Sentence, StringComparison.Ordinal)
                // (Items of one list each carry the list's heading: the next item is another answer, not the rest of this one.)
                && !index.Units[next].Sentence.StartsWith(best.Sentence[..Math.Min(6, best.Sentence.Length)], StringComparison.Ordinal))
            {
                sentence = Join(sentence, index.Units[next].Sentence);
            }
            // A short list is said whole, in place of the one item chosen.
            foreach (var unit in second < 0 ? [best] : new[] { best, index.Units[second] })
            {
                if (unit.List is { Length: <= ListLength } list && !sentence.Contains(list, StringComparison.Ordinal)
                    && sentence.IndexOf(unit.Sentence, StringComparison.Ordinal) is >= 0 and var at)
                {
                    sentence = sentence[..at] + list + sentence[(at + unit.Sentence.Length)..];
                }
            }

            double matched = 0;
            double distinctive = 0;
            foreach (var (term, weight) in query.Terms)
            {
                if (term[0] != '\u0001' && (best.Terms.ContainsKey(term) || best.ClauseTerms.Contains(term)))
                {
                    matched += weight;
                    distinctive = term.Length >= 2 ? Math.Max(distinctive, index.Sentences.Idf.GetValueOrDefault(term)) : distinctive;
                }
            }

            // The residents' question closest to the message counts as the clause's words too.
            double exampleMatched = 0;
            if (exampleOf is not null && exampleOf[index.ClauseOf[bestUnit]] is { Score: > 0, Example: var example })
            {
                var exampleTerms = index.ExampleTerms[example];
                foreach (var (term, weight) in query.Terms)
                {
                    if (term[0] != '\u0001' && exampleTerms.ContainsKey(term))
                    {
                        exampleMatched += weight;
                        distinctive = term.Length >= 2 ? Math.Max(distinctive, index.Examples.Idf.GetValueOrDefault(term)) : distinctive;
                    }
                }
            }

            // A word neither the notice nor a resident's question uses ("屋头", "爸妈") cannot point to any clause: it
            // weighs half in the share.
            var said = query.Words is null ? query.WordWeight : query.Words.Sum(w => index.Sentences.Idf.ContainsKey(w.Key) || index.Examples.Idf.ContainsKey(w.Key) ? w.Value : w.Value * UnknownWordShare);
            var share = said == 0 ? 0 : Math.Min(1, Math.Max(matched, exampleMatched) / said);
            return new ClauseHit(best.Clause, sentence, scores[bestUnit], share, distinctive, said == 0 ? 0 : Math.Min(1, exampleMatched / said), said == 0 ? 0 : Math.Min(1, matched / said),
                also < 0 || index.Units[also].Sentence == sentence ? null : (index.Units[also].Clause, index.Units[also].Sentence),
                query.Words?.Length ?? 0);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<double>.Shared.Return(rented);
            }
        }
    }

    /// <summary>For each clause (in the index's clause order), the BM25 score of its residents' question that the
    /// query matches best, and which question that is (-1: none matched).</summary>
    private static (double Score, int Example)[] BestExamples(ClauseQuery query, PolicyIndex index)
    {
        var exampleScores = new double[index.ExampleClause.Length];
        index.Examples.Score(query, exampleScores);
        var best = new (double Score, int Example)[index.Clauses.Norms.Length];
        Array.Fill(best, (0, -1));
        for (var e = 0; e < exampleScores.Length; e++)
        {
            var clause = index.ExampleClause[e];
            if (exampleScores[e] > best[clause].Score)
            {
                best[clause] = (exampleScores[e], e);
            }
        }

        return best;
    }

    /// <summary>The segmenter used (also for slot words).</summary>
    public ChineseSegmenter Segmenter => segmenter;

    // A short sentence of words alone ("严肃工作纪律。", "一是严禁随意转移参保关系。"), no figure or date in it.
    private static bool IsHeading(string sentence) =>
        sentence.Length < HeadingLength && sentence[^1] == '。' && !sentence.Any(char.IsAsciiDigit);

    // The items of one list under its lead, given to each item's unit: a short list is said whole ("以下有关资料：1.本县
    // 户籍…2.非本县户籍…"), since which item is the resident's is his to see.
    private static void ListOf(List<Unit> units, string? lead, List<int> items, List<string> itemTexts)
    {
        if (lead is not null && itemTexts.Count >= 2)
        {
            var list = lead + string.Concat(itemTexts);
            foreach (var i in items)
            {
                units[i] = units[i] with { List = list };
            }
        }

        items.Clear();
        itemTexts.Clear();
    }

    private PolicyIndex Build(InsurancePolicy policy)
    {
        var units = new List<Unit>();
        foreach (var clause in policy.Clauses)
        {
            var clauseTerms = Terms(Canonical(clause.Text), question: false).Keys.ToHashSet(StringComparer.Ordinal);
            var sentences = Sentences(clause.Text);
            string? lead = null;
            var items = new List<int>();
            var itemTexts = new List<string>();
            for (var i = 0; i < sentences.Count; i++)
            {
                var sentence = sentences[i];
                // Numbered items keep the words that introduce them ("县财政全额资助对象：" + "1、民政局认定的特困人员").
                var newLead = sentence[^1] is '：' or ':' ? sentence : char.IsAsciiDigit(sentence[0]) ? lead : null;
                if (newLead != lead)
                {
                    ListOf(units, lead, items, itemTexts);
                }

                lead = newLead;
                var terms = Terms(Canonical(lead is not null && lead != sentence ? lead + sentence : sentence), question: false);
                if (terms.Count > 0)
                {
                    // A sentence under a short heading ("一是严禁随意转移参保关系。", "加强领导。") is said with it: the
                    // heading is the notice's own summary of what follows.
                    var said = sentence.Length < HeadingLength && i + 1 < sentences.Count ? sentence + sentences[i + 1]
                        : i > 0 && IsHeading(sentences[i - 1]) ? sentences[i - 1] + sentence : sentence;
                    if (lead is not null && lead != sentence)
                    {
                        items.Add(units.Count);
                        itemTexts.Add(sentence);
                    }

                    units.Add(new Unit(clause, lead is not null && lead != sentence ? lead + said : said, terms, terms.Values.Sum(), clauseTerms));
                }
                else if (lead is not null && lead != sentence)
                {
                    itemTexts.Add(sentence);
                }
            }

            ListOf(units, lead, items, itemTexts);
        }

        // The policy's facts are the notice's words too, filed under the clause they cite ("参保对象：…未参加城镇职工
        // 医疗保险的城乡居民" answers "有职工医保还要交这个吗"); a sentence the clause already holds is not indexed twice.
        foreach (var fact in policy.Facts)
        {
            if (fact.Cites.Count == 0)
            {
                continue;
            }

            var clause = fact.Cites[0];
            var clauseTerms = Terms(Canonical(clause.Text), question: false).Keys.ToHashSet(StringComparer.Ordinal);
            foreach (var sentence in Sentences(fact.Text).Where(s => !clause.Text.Contains(s, StringComparison.Ordinal)))
            {
                var terms = Terms(Canonical(sentence), question: false);
                if (terms.Count > 0)
                {
                    units.Add(new Unit(clause, sentence, terms, terms.Values.Sum(), clauseTerms));
                }
            }
        }

        // The attachments' task tables are clauses too: "沈寨镇的任务多少人" finds the township's row.
        foreach (var table in policy.Targets)
        {
            if (table.Cites.Count == 0)
            {
                continue;
            }

            var clause = table.Cites[0];
            var clauseTerms = Terms(Canonical(table.Title), question: false).Keys.ToHashSet(StringComparer.Ordinal);
            foreach (var sentence in table.Rows.Select(r => TargetSentence(table, r)).Append(TargetSentence(table, null)))
            {
                var terms = Terms(Canonical(sentence), question: false);
                units.Add(new Unit(clause, sentence, terms, terms.Values.Sum(), clauseTerms));
            }
        }

        var bySentence = Bm25([.. units.Select(u => u.Terms)]);

        // The clauses as documents of their own (a task table is one with its rows).
        var clauseIds = new Dictionary<PolicyClause, int>();
        var clauseDocs = new List<Dictionary<string, double>>();
        var clauseOf = new int[units.Count];
        for (var i = 0; i < units.Count; i++)
        {
            if (!clauseIds.TryGetValue(units[i].Clause, out var at))
            {
                clauseIds[units[i].Clause] = at = clauseDocs.Count;
                clauseDocs.Add(new Dictionary<string, double>(StringComparer.Ordinal));
            }

            clauseOf[i] = at;
            foreach (var (term, tf) in units[i].Terms)
            {
                clauseDocs[at][term] = clauseDocs[at].GetValueOrDefault(term) + tf;
            }
        }

        var clauses = Bm25(clauseDocs);

        // The residents' questions filed under each clause: documents of their own, cut as messages are.
        var exampleClause = new List<int>();
        var exampleTerms = new List<Dictionary<string, double>>();
        foreach (var (numbering, text) in (examples ?? ClauseExamples.Empty).For(policy.Id))
        {
            var terms = Terms(Canonical(text), question: true);
            if (terms.Count == 0)
            {
                continue;
            }

            // "四" is the whole part: its paragraphs numbered "四（第三段）" hold it too.
            foreach (var (_, at) in clauseIds.Where(c => c.Key.Numbering == numbering || c.Key.Numbering.StartsWith(numbering + "（第", StringComparison.Ordinal)))
            {
                exampleClause.Add(at);
                exampleTerms.Add(terms);
            }
        }

        return new PolicyIndex(units, bySentence, clauseOf, clauses, [.. exampleClause], [.. exampleTerms], Bm25(exampleTerms));
    }

    /// <summary>BM25's parts over <paramref name="documents"/> (term → weight): each term's IDF, its postings (the
    /// documents holding it with its weight there) and each document's length part.</summary>
    private static Bm25Corpus Bm25(List<Dictionary<string, double>> documents)
    {
        var postings = new Dictionary<string, List<(int Doc, double Tf)>>(StringComparer.Ordinal);
        for (var d = 0; d < documents.Count; d++)
        {
            foreach (var (term, tf) in documents[d])
            {
                if (!postings.TryGetValue(term, out var list))
                {
                    postings[term] = list = [];
                }

                list.Add((d, tf));
            }
        }

        var idf = postings.ToDictionary(p => p.Key, p => Math.Log(1 + ((documents.Count - p.Value.Count + 0.5) / (p.Value.Count + 0.5))), StringComparer.Ordinal);
        var lengths = documents.Select(d => d.Values.Sum()).ToArray();
        var average = lengths.Length == 0 ? 1 : lengths.Average();
        var norms = lengths.Select(l => K1 * (1 - B + (B * l / average))).ToArray();
        return new Bm25Corpus(idf, postings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal), norms);
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

    // Two units in the notice's order; a heading's unit holds the sentence after it, which the next unit starts with
    // ("严肃工作纪律。一是…。" + "一是…。2024年度…"): the shared sentence is said once.
    internal static string Join(string first, string then)
    {
        // (Numbered items each carry the words introducing them: "资助对象：1、…；" + "资助对象：2、…；".)
        var lead = then.IndexOf('：', StringComparison.Ordinal) + 1;
        if (lead > 0 && lead < then.Length && first.StartsWith(then[..lead], StringComparison.Ordinal))
        {
            then = then[lead..];
        }

        for (var shared = Math.Min(first.Length, then.Length); shared > 0; shared--)
        {
            // (Only whole sentences: what is shared ends where a sentence does.)
            if (then[shared - 1] is '。' or '；' or ';' or '！' or '？' && first.AsSpan(first.Length - shared).SequenceEqual(then.AsSpan(0, shared)))
            {
                return first + then[shared..];
            }
        }

        return first + then;
    }

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

    private sealed record Unit(PolicyClause Clause, string Sentence, Dictionary<string, double> Terms, double Length, HashSet<string> ClauseTerms)
    {
        /// <summary>For an item of a numbered list: the lead and all its items.</summary>
        public string? List { get; init; }
    }

    /// <summary>BM25's parts over one set of documents.</summary>
    /// <param name="Idf">Each term's IDF.</param>
    /// <param name="Postings">Term → the documents holding it with its weight there.</param>
    /// <param name="Norms">Each document's length part.</param>
    private sealed record Bm25Corpus(Dictionary<string, double> Idf, Dictionary<string, (int Doc, double Tf)[]> Postings, double[] Norms)
    {
        /// <summary>Adds each document's BM25 score for <paramref name="query"/> to <paramref name="scores"/>.</summary>
        public void Score(ClauseQuery query, Span<double> scores)
        {
            foreach (var (term, weight) in query.Terms)
            {
                if (Postings.TryGetValue(term, out var postings))
                {
                    var idf = Idf[term];
                    foreach (var (doc, tf) in postings)
                    {
                        scores[doc] += weight * idf * (tf * (K1 + 1)) / (tf + Norms[doc]);
                    }
                }
            }
        }
    }

    // Sentences: the notice's sentences; ClauseOf: each sentence's clause; Clauses: the same BM25 parts over whole
    // clauses; Examples: over the residents' questions filed under a clause (ExampleClause: the clause of each).
    private sealed record PolicyIndex(
        IReadOnlyList<Unit> Units,
        Bm25Corpus Sentences,
        int[] ClauseOf,
        Bm25Corpus Clauses,
        int[] ExampleClause,
        Dictionary<string, double>[] ExampleTerms,
        Bm25Corpus Examples);
}
