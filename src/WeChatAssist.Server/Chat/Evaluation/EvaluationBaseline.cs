using System.Text.Json;

namespace WeChatAssist.Server.Chat.Evaluation;

/// <summary>The stored floor of <c>tests/chat-evaluation/baseline.json</c>: an evaluation below it fails.</summary>
internal sealed record EvaluationBaseline(double Accuracy, double MacroF1, double MaxOutOfScopeFalseAnswerRate, int MaxWrongAnswers, double MaxFallbackRate, int MaxSlotErrors)
{
    /// <summary>The file, relative to the repository root.</summary>
    public const string RelativePath = "tests/chat-evaluation/baseline.json";

    /// <summary>Reads the baseline.</summary>
    public static EvaluationBaseline LoadFile(string path) =>
        JsonSerializer.Deserialize<EvaluationBaseline>(File.ReadAllText(path), JsonSerializerOptions.Web)
        ?? throw new InvalidDataException($"{path}: empty baseline");

    /// <summary>Finds the baseline from the current directory or any parent of the binaries.</summary>
    public static string? Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, RelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="report"/> falls below this baseline; empty when it does not.</summary>
    public IReadOnlyList<string> Violations(EvaluationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var violations = new List<string>();
        if (report.Accuracy < Accuracy)
        {
            violations.Add($"accuracy {report.Accuracy:0.000} < baseline {Accuracy:0.000}");
        }

        if (report.MacroF1 < MacroF1)
        {
            violations.Add($"macro F1 {report.MacroF1:0.000} < baseline {MacroF1:0.000}");
        }

        if (report.OutOfScopeFalseAnswerRate > MaxOutOfScopeFalseAnswerRate)
        {
            violations.Add($"out-of-scope false answers {report.OutOfScopeFalseAnswerRate:0.000} > baseline {MaxOutOfScopeFalseAnswerRate:0.000}");
        }

        if (report.WrongAnswers > MaxWrongAnswers)
        {
            violations.Add($"wrong amounts/dates {report.WrongAnswers} > baseline {MaxWrongAnswers}");
        }

        if (report.SlotErrors > MaxSlotErrors)
        {
            violations.Add($"wrong slots {report.SlotErrors} > baseline {MaxSlotErrors}");
        }

        if (report.FallbackRate > MaxFallbackRate)
        {
            violations.Add($"fallback rate {report.FallbackRate:0.000} > baseline {MaxFallbackRate:0.000}");
        }

        return violations;
    }
}
