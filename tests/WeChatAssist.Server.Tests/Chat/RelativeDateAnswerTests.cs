using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Clock;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Answers say how far the deadline is, counted in calendar days from the business clock's date, in all
/// three languages (闻喜's 低保 deadline is 25 December 2023).</summary>
public sealed class RelativeDateAnswerTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    [InlineData(nameof(ChatLanguage.SimplifiedChinese), "低保户交多少钱", "截止2023年12月25日。\n3 天后截止。")]
    [InlineData(nameof(ChatLanguage.TraditionalChinese), "低保戶繳多少錢", "截止2023年12月25日。\n3 天後截止。")]
    [InlineData(nameof(ChatLanguage.English), "低保户交多少钱", "by 25 December 2023 (3 days from now).")]
    public async Task A_deadline_2_days_23_hours_away_reads_3_days_in_every_language(string language, string question, string expected)
    {
        // 01:00 on 22 December: 2 days 23 hours before the 25th begins, three calendar days before it.
        var clock = new BusinessClock(TimeProvider.System, new DateTimeOffset(2023, 12, 22, 1, 0, 0, TimeSpan.FromHours(8)), Shanghai);

        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", question, clock.Today(), Enum.Parse<ChatLanguage>(language));

        Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(ChatLanguage.SimplifiedChinese), "今天是最后一天，请尽快交。")]
    [InlineData(nameof(ChatLanguage.TraditionalChinese), "今天是最後一天，請盡快交。")]
    [InlineData(nameof(ChatLanguage.English), "by 25 December 2023 (today).")]
    public async Task On_the_last_day_the_answer_says_today(string language, string expected)
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "低保户交多少钱", new DateOnly(2023, 12, 25), Enum.Parse<ChatLanguage>(language));

        Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(nameof(ChatLanguage.SimplifiedChinese), "最后交费日期2023年12月31日（1 个月后）。")]
    [InlineData(nameof(ChatLanguage.TraditionalChinese), "最後交費日期2023年12月31日（1 個月後）。")]
    [InlineData(nameof(ChatLanguage.English), "Last day 31 December 2023 (one month from now).")]
    public async Task The_deadline_answer_says_how_far_the_last_day_is(string language, string expected)
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "什么时候截止", new DateOnly(2023, 11, 15), Enum.Parse<ChatLanguage>(language));

        Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
    }
}
