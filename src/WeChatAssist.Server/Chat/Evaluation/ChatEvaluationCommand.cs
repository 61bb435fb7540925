using System.Globalization;
using WeChatAssist.Policy;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Chat.Evaluation;

/// <summary><c>dotnet run --project src/WeChatAssist.Server -- chat-eval [--set bank|residents] [--split …] [--baseline path]</c>:
/// the question bank (default; exits 1 below the stored baseline) or the independent resident set (dev, val, val2 or test split;
/// the test split prints its figures only, never its questions; val prints its misses only with <c>--misses</c>).</summary>
internal static class ChatEvaluationCommand
{
    /// <summary>The verb.</summary>
    public const string Verb = "chat-eval";

    /// <summary>Whether the command line asks for the evaluation instead of the server.</summary>
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>Runs the evaluation; 0 when at or above the baseline, 1 below it, 2 for a usage error.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var set = Option(args, "--set") ?? "bank";
        if (set == "residents")
        {
            return await RunResidentsAsync(args, output, cancellationToken);
        }

        if (set != "bank")
        {
            await output.WriteLineAsync($"{Verb}: --set must be bank or residents.");
            return 2;
        }

        var split = Option(args, "--split") ?? "test";
        if (split is not ("test" or "train" or "all"))
        {
            await output.WriteLineAsync($"{Verb}: --split must be test, train or all.");
            return 2;
        }

        var baselinePath = Option(args, "--baseline") ?? EvaluationBaseline.Find();
        var engine = StandaloneChat.Create();
        var questions = QuestionBank.LoadFile(Path.Combine(AppContext.BaseDirectory, QuestionBank.FileName));
        var report = await ChatEvaluator.RunAsync(engine, PolicyCatalog.LoadShipped(), questions, split, cancellationToken);
        await output.WriteAsync(report.Format());
        if (baselinePath is null)
        {
            await output.WriteLineAsync($"{Verb}: no {EvaluationBaseline.RelativePath} found; pass --baseline.");
            return 2;
        }

        var violations = EvaluationBaseline.LoadFile(baselinePath).Violations(report);
        foreach (var violation in violations)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"BELOW BASELINE: {violation}"));
        }

        await output.WriteLineAsync(violations.Count == 0 ? "baseline met" : "baseline NOT met");
        return violations.Count == 0 ? 0 : 1;
    }

    // The resident set's validation splits, in the order they were written.
    private static readonly string[] ValidationSplits = ["val", "val2", "val3", "val4", "val5"];

    private static async Task<int> RunResidentsAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var split = Option(args, "--split") ?? "dev";
        if (split is not ("dev" or "test") && !ValidationSplits.Contains(split))
        {
            await output.WriteLineAsync($"{Verb}: --split must be dev, {string.Join(", ", ValidationSplits)} or test for the resident set.");
            return 2;
        }

        var folder = Option(args, "--folder") ?? ResidentEvaluation.FindFolder();
        if (folder is null)
        {
            await output.WriteLineAsync($"{Verb}: no {ResidentEvaluation.RelativeFolder} found; pass --folder.");
            return 2;
        }

        var report = await ResidentEvaluation.RunAsync(
            StandaloneChat.Create(),
            PolicyCatalog.LoadShipped(),
            ResidentEvaluation.Load(folder, split),
            ResidentEvaluation.LoadClauses(folder),
            split,
            cancellationToken);
        // The test split's questions stay unseen: only its figures are printed. The validation splits (written later, by
        // other writers) print their misses only when asked, so a first figure can be read before any question is.
        var misses = split == "dev" || (ValidationSplits.Contains(split) && args.Contains("--misses"));
        await output.WriteAsync(report.Format(withMisses: misses, withAnswers: misses && args.Contains("--answers")));
        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
