namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Residents' wordings that point to a clause the notice states in words, written for these tests (not taken
/// from any evaluation split): paying for a relative, and what to check before paying.</summary>
public sealed class ClauseWordingTests
{
    [Theory]
    [InlineData("能不能替俺娘把医保交了")]
    [InlineData("我帮我老伴交医保行不行")]
    public async Task Paying_for_a_relative_is_answered_by_the_sentence_allowing_it(string text)
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", text, new DateOnly(2024, 10, 10));

        Assert.Equal("clause", answer.Template);
        Assert.Contains("为个人或家人缴费", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paying_named_as_a_moment_asks_what_to_do_then_not_a_deadline()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "交费之前得注意啥", new DateOnly(2024, 10, 10));

        Assert.Contains("核对参保信息", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("没有写明", answer.Text, StringComparison.Ordinal);
    }
}
