using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Chat.Evaluation;

/// <summary>Precision, recall and F1 of one intent.</summary>
internal sealed record IntentScore(ChatIntent Intent, int Support, int Predicted, double Precision, double Recall, double F1);

/// <summary>A pair of intents confused, with how often.</summary>
internal sealed record ConfusedPair(ChatIntent Expected, ChatIntent Predicted, int Count);

/// <summary>The outcome of running the chatbot over labelled questions.</summary>
internal sealed record EvaluationReport(
    string Split,
    int Questions,
    int Correct,
    double MacroF1,
    int FellBack,
    int OutOfScopeQuestions,
    int OutOfScopeAnswered,
    int CheckedAnswers,
    int WrongAnswers,
    int CheckedSlots,
    int SlotErrors,
    IReadOnlyList<IntentScore> Intents,
    IReadOnlyList<ConfusedPair> Confusions,
    IReadOnlyList<string> Failures)
{
    public double Accuracy => Questions == 0 ? 0 : (double)Correct / Questions;

    public double FallbackRate => Questions == 0 ? 0 : (double)FellBack / Questions;

    public double OutOfScopeFalseAnswerRate => OutOfScopeQuestions == 0 ? 0 : (double)OutOfScopeAnswered / OutOfScopeQuestions;

    /// <summary>The report as printed by <c>chat-eval</c>.</summary>
    public string Format()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Chat evaluation, split '{Split}': {Questions} questions");
        text.AppendLine(c, $"{"intent",-20} {"support",7} {"predicted",9} {"precision",9} {"recall",7} {"F1",6}");
        foreach (var score in Intents)
        {
            text.AppendLine(c, $"{ChatIntents.Name(score.Intent),-20} {score.Support,7} {score.Predicted,9} {score.Precision,9:0.000} {score.Recall,7:0.000} {score.F1,6:0.000}");
        }

        text.AppendLine(c, $"accuracy {Accuracy:0.000}  macro F1 {MacroF1:0.000}  fallback rate {FallbackRate:0.000} ({FellBack}/{Questions})");
        text.AppendLine(c, $"out-of-scope answered wrongly {OutOfScopeFalseAnswerRate:0.000} ({OutOfScopeAnswered}/{OutOfScopeQuestions})");
        text.AppendLine(c, $"answers with a wrong or missing amount/date {WrongAnswers} of {CheckedAnswers} checked");
        text.AppendLine(c, $"questions with a wrong slot (category, date, tier) {SlotErrors} of {CheckedSlots} checked");
        text.AppendLine("most confused (expected -> predicted):");
        foreach (var pair in Confusions.Take(8))
        {
            text.AppendLine(c, $"  {ChatIntents.Name(pair.Expected)} -> {ChatIntents.Name(pair.Predicted)}: {pair.Count}");
        }

        foreach (var failure in Failures.Take(40))
        {
            text.AppendLine(c, $"  miss: {failure}");
        }

        return text.ToString();
    }
}

/// <summary>Runs labelled questions through a <see cref="ChatEngine"/>, each as the first message of its own follower.</summary>
internal static partial class ChatEvaluator
{
    private static bool SlotMatches(ChatSlots slots, string name, string value) => name switch
    {
        "category" => slots.Categories.Contains(value),
        "date" => slots.Date == DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        "tier" => slots.Tier == int.Parse(value, CultureInfo.InvariantCulture),
        _ => throw new InvalidDataException($"Unknown slot '{name}' in the question bank."),
    };

    [GeneratedRegex(@"(?<![0-9.])[0-9]+(?:\.[0-9]+)?元")]
    private static partial Regex FirstAmount();

    /// <summary>Evaluates <paramref name="questions"/> of <paramref name="split"/> (<c>train</c>, <c>test</c> or <c>all</c>).</summary>
    public static async Task<EvaluationReport> RunAsync(ChatEngine engine, PolicyCatalog catalog, IEnumerable<LabelledQuestion> questions, string split, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(catalog);
        var selected = questions.Where(q => split == "all" || q.Split == split).ToList();
        var pairs = new List<(ChatIntent Expected, ChatIntent Predicted)>();
        var failures = new List<string>();
        int fellBack = 0, oos = 0, oosAnswered = 0, checkedAnswers = 0, wrong = 0, checkedSlots = 0, slotErrors = 0;
        foreach (var question in selected)
        {
            var policy = catalog.Get(question.PolicyId);
            var answer = await engine.AnswerAsync(
                new ChatRequest("evaluation", "eval-" + question.Id, policy, ChatLanguage.SimplifiedChinese, question.Text, question.Today),
                cancellationToken);

            // Declining or showing the menu is the right answer to an out-of-scope question.
            var predicted = answer.FellBack ? (question.Intent == ChatIntent.OutOfScope ? ChatIntent.OutOfScope : ChatIntent.None) : answer.Intent;
            pairs.Add((question.Intent, predicted));
            fellBack += answer.FellBack ? 1 : 0;
            if (question.Intent == ChatIntent.OutOfScope)
            {
                oos++;
                oosAnswered += answer.FellBack ? 0 : 1;
            }

            if (predicted != question.Intent)
            {
                var p = engine.Understanding.Understand(question.Text, policy, question.Today).Prediction;
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{question.Id} [{question.PolicyId}] '{question.Text}': expected {ChatIntents.Name(question.Intent)}, got {ChatIntents.Name(predicted)} (best {ChatIntents.Name(p.Intent)} {p.Score:0.0}, runner-up {ChatIntents.Name(p.RunnerUp)} {p.RunnerUpScore:0.0})"));
            }

            if (question.Slots.Count > 0)
            {
                checkedSlots++;
                var slots = engine.Understanding.Understand(question.Text, policy, question.Today).Slots;
                var bad = question.Slots.Where(s => !SlotMatches(slots, s.Key, s.Value)).Select(s => $"{s.Key}={s.Value}").ToList();
                if (bad.Count > 0)
                {
                    slotErrors++;
                    failures.Add($"{question.Id} [{question.PolicyId}] '{question.Text}': slots wrong: {string.Join(", ", bad)}");
                }
            }

            if (question.Expected.Count > 0)
            {
                checkedAnswers++;
                // "0元" must not be found inside "380元": an expected amount or date starts after a non-digit.
                var missing = question.Expected
                    .Where(e => !Regex.IsMatch(answer.Text, "(?<![0-9.])" + Regex.Escape(e), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
                    .ToList();
                // Answers lead with the amount: the first amount said must be the first one expected.
                var first = FirstAmount().Match(answer.Text);
                var expectedFirst = question.Expected[0];
                var wrongFirst = expectedFirst.EndsWith('元') && (!first.Success || first.Value != expectedFirst);
                if (missing.Count > 0 || wrongFirst)
                {
                    wrong++;
                    var why = missing.Count > 0 ? "lacks " + string.Join(", ", missing) : $"leads with {(first.Success ? first.Value : "no amount")} instead of {expectedFirst}";
                    failures.Add($"{question.Id} [{question.PolicyId}] '{question.Text}': answer {why}: {answer.Text.Replace('\n', ' ')}");
                }
            }
        }

        var intents = pairs.Select(p => p.Expected).Distinct().OrderBy(i => i).ToList();
        var scores = intents.Select(intent =>
        {
            var truePositive = pairs.Count(p => p.Expected == intent && p.Predicted == intent);
            var support = pairs.Count(p => p.Expected == intent);
            var predictedCount = pairs.Count(p => p.Predicted == intent);
            var precision = predictedCount == 0 ? 0 : (double)truePositive / predictedCount;
            var recall = support == 0 ? 0 : (double)truePositive / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new IntentScore(intent, support, predictedCount, precision, recall, f1);
        }).ToList();
        var confusions = pairs
            .Where(p => p.Expected != p.Predicted)
            .GroupBy(p => p)
            .Select(g => new ConfusedPair(g.Key.Expected, g.Key.Predicted, g.Count()))
            .OrderByDescending(p => p.Count)
            .ToList();
        return new EvaluationReport(
            split,
            selected.Count,
            pairs.Count(p => p.Expected == p.Predicted),
            scores.Count == 0 ? 0 : scores.Average(s => s.F1),
            fellBack,
            oos,
            oosAnswered,
            checkedAnswers,
            wrong,
            checkedSlots,
            slotErrors,
            scores,
            confusions,
            failures);
    }
}
