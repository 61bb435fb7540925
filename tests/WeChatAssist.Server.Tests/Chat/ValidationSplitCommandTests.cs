using WeChatAssist.Server.Chat.Evaluation;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>The resident set's validation splits (val/ and val2/, written after dev by other writers): chat-eval reads them like
/// dev, and prints their misses only when asked, so a first figure can be read before any of their questions.</summary>
public sealed class ValidationSplitCommandTests
{
    [Theory]
    [InlineData("val")]
    [InlineData("val2")]
    [InlineData("val5")]
    public async Task Validation_split_prints_its_figures_and_keeps_its_questions_unless_misses_are_asked(string split)
    {
        using var figures = new StringWriter();
        Assert.Equal(0, await ChatEvaluationCommand.RunAsync(["chat-eval", "--set", "residents", "--split", split], figures, CancellationToken.None));
        Assert.Contains($"split '{split}'", figures.ToString(), StringComparison.Ordinal);
        Assert.Contains("per class:", figures.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("miss:", figures.ToString(), StringComparison.Ordinal);

        using var misses = new StringWriter();
        Assert.Equal(0, await ChatEvaluationCommand.RunAsync(["chat-eval", "--set", "residents", "--split", split, "--misses"], misses, CancellationToken.None));
        Assert.Contains("miss:", misses.ToString(), StringComparison.Ordinal);
    }
}
