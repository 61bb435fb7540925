using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat.Evaluation;

/// <summary>One question of the independent resident set (<c>tests/chat-evaluation/residents/</c>, format in its README).</summary>
internal sealed record ResidentQuestion(string Id, string PolicyId, DateOnly Today, string Class, string Text, IReadOnlyList<string> Expect, IReadOnlyList<string> Clauses);

/// <summary>Right / total of one slice (a county or a class).</summary>
internal sealed record SliceScore(string Name, int Questions, int Right)
{
    public double Rate => Questions == 0 ? 0 : (double)Right / Questions;
}

/// <summary>The outcome of the resident set on one split.</summary>
internal sealed record ResidentReport(
    string Split,
    int Questions,
    int Right,
    int WrongAmounts,
    int WrongDates,
    int FalseNotStated,
    int OutOfScopeQuestions,
    int OutOfScopeAnswered,
    int Clarifications,
    int UnneededClarifications,
    int AnswerableQuestions,
    int Clauses,
    int ClausesAnsweredRight,
    IReadOnlyList<SliceScore> Counties,
    IReadOnlyList<SliceScore> Classes,
    IReadOnlyList<string> Misses,
    IReadOnlyList<string> Answers)
{
    public double RightRate => Questions == 0 ? 0 : (double)Right / Questions;

    public double OutOfScopeAnsweredRate => OutOfScopeQuestions == 0 ? 0 : (double)OutOfScopeAnswered / OutOfScopeQuestions;

    /// <summary>Clarifying questions asked where the set expects an answer, over those questions.</summary>
    public double ClarificationRate => AnswerableQuestions == 0 ? 0 : (double)UnneededClarifications / AnswerableQuestions;

    public double ClauseCoverage => Clauses == 0 ? 0 : (double)ClausesAnsweredRight / Clauses;

    /// <summary>The report as printed by <c>chat-eval --set residents</c>; misses only when asked (never for the test split).</summary>
    public string Format(bool withMisses, bool withAnswers = false)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Resident question set, split '{Split}': {Questions} questions");
        text.AppendLine(c, $"right {RightRate:0.000} ({Right}/{Questions})");
        text.AppendLine(c, $"wrong amounts {WrongAmounts}  wrong dates {WrongDates}  false \"not stated\" {FalseNotStated}");
        text.AppendLine(c, $"out-of-scope answered {OutOfScopeAnsweredRate:0.000} ({OutOfScopeAnswered}/{OutOfScopeQuestions})");
        text.AppendLine(c, $"clarifying questions {Clarifications} in all; where an answer was expected {ClarificationRate:0.000} ({UnneededClarifications}/{AnswerableQuestions})");
        text.AppendLine(c, $"clause coverage (clauses with a question answered right) {ClauseCoverage:0.000} ({ClausesAnsweredRight}/{Clauses})");
        text.AppendLine("per county:");
        foreach (var slice in Counties)
        {
            text.AppendLine(c, $"  {slice.Name,-24} {slice.Right,4}/{slice.Questions,-4} {slice.Rate:0.000}");
        }

        text.AppendLine("per class:");
        foreach (var slice in Classes)
        {
            text.AppendLine(c, $"  {slice.Name,-24} {slice.Right,4}/{slice.Questions,-4} {slice.Rate:0.000}");
        }

        if (withMisses)
        {
            foreach (var miss in Misses)
            {
                text.AppendLine(c, $"  miss: {miss}");
            }
        }

        if (withAnswers)
        {
            foreach (var answer in Answers)
            {
                text.AppendLine(c, $"  answer: {answer}");
            }
        }

        return text.ToString();
    }
}

/// <summary>Runs the independent resident set (EVALSET format: <c>id policy today class text expect clause note</c>)
/// through a <see cref="ChatEngine"/>, each question the first message of its own follower, and judges each answer
/// by the facts a bureau officer checks.</summary>
internal static partial class ResidentEvaluation
{
    /// <summary>The set's folder relative to the repository root.</summary>
    public const string RelativeFolder = "tests/chat-evaluation/residents";

    public static readonly string[] ClassNames = ["amount", "date", "clause", "clarification", "out_of_scope"];

    /// <summary>Finds the set's folder from the current directory or any parent of the binaries.</summary>
    public static string? FindFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativeFolder);
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Reads every <c>.tsv</c> of <paramref name="folder"/>/<paramref name="split"/>.</summary>
    public static IReadOnlyList<ResidentQuestion> Load(string folder, string split)
    {
        var questions = new List<ResidentQuestion>();
        var directory = Path.Combine(folder, split);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"{directory}: no such split of the resident set.");
        }

        foreach (var file in Directory.GetFiles(directory, "*.tsv").Order(StringComparer.Ordinal))
        {
            var lines = File.ReadAllLines(file, Encoding.UTF8);
            for (var i = 1; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }

                var f = lines[i].Split('\t');
                if (f.Length < 7)
                {
                    throw new InvalidDataException($"{file}:{i + 1}: expected at least 7 tab-separated fields, found {f.Length}.");
                }

                questions.Add(new ResidentQuestion(
                    f[0].Trim(),
                    f[1].Trim(),
                    DateOnly.ParseExact(f[2].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture),
                    f[3].Trim(),
                    f[4].Trim(),
                    Split(f[5]),
                    Split(f[6])));
            }
        }

        return questions;
    }

    /// <summary>Every clause of each notice: <c>clauses/&lt;policy&gt;.tsv</c> (policy, clause, title).</summary>
    public static IReadOnlyList<(string PolicyId, string Clause)> LoadClauses(string folder)
    {
        var clauses = new List<(string, string)>();
        var directory = Path.Combine(folder, "clauses");
        if (!Directory.Exists(directory))
        {
            return clauses;
        }

        foreach (var file in Directory.GetFiles(directory, "*.tsv").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadAllLines(file, Encoding.UTF8).Skip(1))
            {
                var f = line.Split('\t');
                if (f.Length >= 2 && f[1].Trim().Length > 0)
                {
                    clauses.Add((f[0].Trim(), f[1].Trim()));
                }
            }
        }

        return clauses;
    }

    /// <summary>Runs <paramref name="questions"/>.</summary>
    public static async Task<ResidentReport> RunAsync(ChatEngine engine, PolicyCatalog catalog, IReadOnlyList<ResidentQuestion> questions, IReadOnlyList<(string PolicyId, string Clause)> clauses, string split, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(questions);
        int right = 0, wrongAmounts = 0, wrongDates = 0, falseNotStated = 0, oos = 0, oosAnswered = 0, clarifications = 0, unneeded = 0, answerable = 0;
        var misses = new List<string>();
        var answers = new List<string>();
        var results = new List<(ResidentQuestion Question, bool Right)>();
        foreach (var question in questions)
        {
            var policy = catalog.Get(question.PolicyId);
            var answer = await engine.AnswerAsync(
                new ChatRequest("evaluation", "resident-" + question.Id, policy, ChatLanguage.SimplifiedChinese, question.Text, question.Today),
                cancellationToken);
            var text = answer.Text;
            var statesAmount = AnyAmount().IsMatch(text);
            var statesDate = AnyDate().IsMatch(text);
            var asksBack = IsQuestionBack(answer);
            var notStated = answer.Template is "not_stated" or "topic_not_stated" || text.Contains("没有写明", StringComparison.Ordinal);
            clarifications += asksBack ? 1 : 0;
            bool ok;
            string why = string.Empty;
            switch (question.Class)
            {
                case "clarification":
                    ok = asksBack && !statesAmount;
                    why = ok ? string.Empty : "no question back";
                    break;
                case "out_of_scope":
                    oos++;
                    // Declined, or handed over: a topic the notice does not state ("住院报销比例" where it states no
                    // benefits) with whom to ask, and no amount or date, answers nothing out of scope.
                    ok = (answer.FellBack || answer.Template == "topic_not_stated") && !statesAmount && !statesDate
                        || answer.Template is "out_of_scope" or "fallback" or "menu" or "contact_phones" or "contact_offices";
                    oosAnswered += ok ? 0 : 1;
                    why = ok ? string.Empty : "answered";
                    break;
                default:
                    answerable++;
                    unneeded += asksBack ? 1 : 0;
                    var missing = question.Expect.Where(e => !Contains(text, e)).ToList();
                    ok = missing.Count == 0 && !asksBack;
                    if (!ok)
                    {
                        why = asksBack ? "asked back" : "lacks " + string.Join(", ", missing);
                        if (!asksBack && missing.Any(IsAmount) && statesAmount)
                        {
                            wrongAmounts++;
                            why += " (wrong amount)";
                        }

                        if (!asksBack && missing.Any(IsDate) && statesDate)
                        {
                            wrongDates++;
                            why += " (wrong date)";
                        }

                        if (notStated)
                        {
                            falseNotStated++;
                            why += " (false not stated)";
                        }
                    }

                    break;
            }

            var understood = engine.Understanding.Understand(question.Text, policy, question.Today);
            var hit = engine.Understanding.Clauses.Find(understood.Canonical, policy);
            var reading = understood.Prediction;
            answers.Add(string.Create(CultureInfo.InvariantCulture, $"{question.Id} '{question.Text}' -> [{answer.Template}] {text.Replace('\n', ' ')}  <clause {hit?.Clause.Numbering} {hit?.Score:0.0} {hit?.Matched:0.00}> <read {reading.Intent} {reading.Score:0.0} / {reading.RunnerUp} {reading.RunnerUpScore:0.0}{(reading.Ambiguous ? " ambiguous" : "")}{(reading.FellBack ? " fell back" : "")}>"));
            right += ok ? 1 : 0;
            results.Add((question, ok));
            if (!ok)
            {
                misses.Add($"{question.Id} [{question.Class}] '{question.Text}' ({question.Today:yyyy-MM-dd}): {why}: {text.Replace('\n', ' ')}");
            }
        }

        var counties = results.GroupBy(r => r.Question.PolicyId).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new SliceScore(g.Key, g.Count(), g.Count(r => r.Right))).ToList();
        var classes = ClassNames.Select(n => new SliceScore(n, results.Count(r => r.Question.Class == n), results.Count(r => r.Question.Class == n && r.Right))).ToList();
        var policies = questions.Select(q => q.PolicyId).ToHashSet(StringComparer.Ordinal);
        var listed = clauses.Where(c => policies.Contains(c.PolicyId)).Distinct().ToList();
        var answeredRight = listed.Count(c => results.Any(r => r.Right && r.Question.PolicyId == c.PolicyId && r.Question.Clauses.Contains(c.Clause)));
        return new ResidentReport(split, questions.Count, right, wrongAmounts, wrongDates, falseNotStated, oos, oosAnswered, clarifications, unneeded, answerable, listed.Count, answeredRight, counties, classes, misses, answers);
    }

    /// <summary>The bot asked which question or which fact was meant.</summary>
    private static bool IsQuestionBack(ChatAnswer answer) =>
        answer.Template is "clarify" || answer.Template.StartsWith("ask_", StringComparison.Ordinal);

    /// <summary>A fact is found when one of its <c>/</c>-separated alternatives is: amounts at a digit boundary
    /// (<c>0元</c> is not inside <c>380元</c>), dates as <c>2023-12-31</c> or <c>2023年12月31日</c>, phrases as written, spaces aside.</summary>
    public static bool Contains(string answer, string fact)
    {
        ArgumentNullException.ThrowIfNull(answer);
        ArgumentNullException.ThrowIfNull(fact);
        foreach (var alternative in fact.Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IsDate(alternative))
            {
                var date = DateOnly.ParseExact(alternative, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                if (answer.Contains(alternative, StringComparison.Ordinal) || answer.Contains(PolicyFormat.Date(date), StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (IsAmount(alternative))
            {
                if (Regex.IsMatch(answer, "(?<![0-9.])" + Regex.Escape(alternative), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                {
                    return true;
                }
            }
            else if (WithoutSpaces(answer).Contains(WithoutSpaces(alternative), StringComparison.Ordinal)
                // A tier is the same fact written 二档 or 2档 (the answers write the digit).
                || answer.Contains(alternative.Replace("一档", "1档", StringComparison.Ordinal).Replace("二档", "2档", StringComparison.Ordinal), StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // A phrase is the same words however the notice or the writer spaced it ("次月 1 日", "POS 机").
    private static string WithoutSpaces(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static bool IsAmount(string fact) => AmountFact().IsMatch(fact);

    private static bool IsDate(string fact) => DateFact().IsMatch(fact);

    private static List<string> Split(string field) =>
        [.. field.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    [GeneratedRegex(@"^[0-9]+(?:\.[0-9]+)?元(?:/[0-9]+(?:\.[0-9]+)?元)*$")]
    private static partial Regex AmountFact();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex DateFact();

    [GeneratedRegex(@"[0-9]元")]
    private static partial Regex AnyAmount();

    [GeneratedRegex(@"\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}")]
    private static partial Regex AnyDate();
}
