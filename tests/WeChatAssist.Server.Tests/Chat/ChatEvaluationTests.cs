using Microsoft.Extensions.Configuration;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Evaluation;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Tests.Chat;

public sealed class ChatEvaluationTests
{
    private static readonly IReadOnlyList<LabelledQuestion> Bank = QuestionBank.LoadFile(Path.Combine(AppContext.BaseDirectory, QuestionBank.FileName));

    [Fact]
    public void Question_bank_has_at_least_400_questions_over_four_counties_with_a_held_out_test_split()
    {
        Assert.True(Bank.Count >= 400, $"{Bank.Count} questions");
        Assert.Equal(4, Bank.Select(q => q.PolicyId).Distinct().Count());
        var trainTexts = Bank.Where(q => q.Split == "train").Select(q => q.Text).ToHashSet();
        var test = Bank.Where(q => q.Split == "test").ToList();
        Assert.True(test.Count >= 100);
        Assert.DoesNotContain(test, q => trainTexts.Contains(q.Text));
        Assert.Equal(Enum.GetValues<ChatIntent>().Length - 1, Bank.Select(q => q.Intent).Distinct().Count());
    }

    [Fact]
    public async Task Test_split_meets_the_stored_baseline_and_the_targets()
    {
        var report = await ChatEvaluator.RunAsync(StandaloneChat.Create(), ChatTestEngine.Catalog, Bank, "test", CancellationToken.None);
        var baselinePath = EvaluationBaseline.Find();
        Assert.NotNull(baselinePath);
        var violations = EvaluationBaseline.LoadFile(baselinePath).Violations(report);
        Assert.True(violations.Count == 0, string.Join("; ", violations) + "\n" + report.Format());

        Assert.True(report.Accuracy >= 0.95, report.Format());
        Assert.True(report.OutOfScopeFalseAnswerRate <= 0.03, report.Format());
        Assert.Equal(0, report.WrongAnswers);
        Assert.True(report.CheckedAnswers >= 30);
        Assert.Equal(0, report.SlotErrors);
        Assert.True(report.CheckedSlots >= 10, $"{report.CheckedSlots} questions with expected slots");
    }

    [Fact]
    public async Task Evaluation_command_prints_the_report_and_succeeds_at_the_baseline()
    {
        using var output = new StringWriter();
        var exit = await ChatEvaluationCommand.RunAsync(["chat-eval", "--split", "test"], output, CancellationToken.None);
        var text = output.ToString();
        Assert.Equal(0, exit);
        Assert.Contains("precision", text, StringComparison.Ordinal);
        Assert.Contains("most confused", text, StringComparison.Ordinal);
        Assert.Contains("fallback rate", text, StringComparison.Ordinal);
        Assert.Contains("baseline met", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluation_command_fails_below_a_baseline()
    {
        var strict = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(strict, """{"accuracy":1.01,"macroF1":0,"maxOutOfScopeFalseAnswerRate":1,"maxWrongAnswers":100,"maxFallbackRate":1,"maxSlotErrors":100}""");
            using var output = new StringWriter();
            var exit = await ChatEvaluationCommand.RunAsync(["chat-eval", "--split", "test", "--baseline", strict], output, CancellationToken.None);
            Assert.Equal(1, exit);
            Assert.Contains("BELOW BASELINE: accuracy", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(strict);
        }
    }
}

public sealed class ChatOptionsDocumentationTests
{
    [Fact]
    public void Every_chat_option_is_documented_in_the_sample_settings()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WeChatAssist.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var sample = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(root.FullName, "appsettings.sample.json"))
            .Build();
        foreach (var property in typeof(ChatOptions).GetProperties())
        {
            var key = $"{ChatOptions.SectionName}:{property.Name}";
            Assert.NotNull(sample[key]);
            Assert.False(string.IsNullOrWhiteSpace(sample[key + "//"]), key);
        }
    }
}
