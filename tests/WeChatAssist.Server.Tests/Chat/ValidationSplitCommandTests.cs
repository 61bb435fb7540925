using WeChatAssist.Server.Chat.Evaluation;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>The resident set's validation split (val/, written after dev by another writer): chat-eval reads it like
/// dev, and prints its misses only when asked, so a first figure can be read before any of its questions.</summary>
public sealed class ValidationSplitCommandTests
{
    [Fact]
    public async Task Validation_split_prints_its_figures_and_keeps_its_questions_unless_misses_are_asked()
    {
        using var figures = new StringWriter();
        Assert.Equal(0, await ChatEvaluationCommand.RunAsync(["chat-eval", "--set", "residents", "--split", "val"], figures, CancellationToken.None));
        Assert.Contains("split 'val'", figures.ToString(), StringComparison.Ordinal);
        Assert.Contains("per class:", figures.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("miss:", figures.ToString(), StringComparison.Ordinal);

        using var misses = new StringWriter();
        Assert.Equal(0, await ChatEvaluationCommand.RunAsync(["chat-eval", "--set", "residents", "--split", "val", "--misses"], misses, CancellationToken.None));
        Assert.Contains("miss:", misses.ToString(), StringComparison.Ordinal);
    }
}
