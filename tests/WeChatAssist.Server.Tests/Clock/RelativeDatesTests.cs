using System.Globalization;
using Humanizer;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Clock;

/// <summary>Relative dates count whole calendar days from the business date, in the three answer languages.</summary>
public sealed class RelativeDatesTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Theory]
    [InlineData("zh-Hans", "3 天后")]
    [InlineData("zh-Hant", "3 天後")]
    [InlineData("en", "3 days from now")]
    public void A_deadline_2_days_23_hours_away_is_3_calendar_days_away_in_every_language(string language, string expected)
    {
        // 01:00 on 28 December, business time; the deadline is the whole of 31 December.
        var clock = new BusinessClock(new FakeTimeProvider(DateTimeOffset.UnixEpoch), new DateTimeOffset(2023, 12, 28, 1, 0, 0, TimeSpan.FromHours(8)), Shanghai);
        var deadline = new DateOnly(2023, 12, 31);
        var culture = CultureInfo.GetCultureInfo(language);
        var timeLeft = new DateTimeOffset(deadline.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)) - clock.GetLocalNow();

        var relative = RelativeDates.Humanize(deadline, clock.Today(), culture);

        Assert.Equal(expected, relative);
        Assert.Equal(3, RelativeDates.DaysBetween(clock.Today(), deadline));
        // What the issue warns of: Humanizer on the time left truncates 2 days 23 hours to 2 days.
        Assert.Equal(TimeSpan.FromHours(71), timeLeft);
        Assert.StartsWith("2 ", timeLeft.Humanize(culture: culture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-Hans", 1, "明天")]
    [InlineData("zh-Hans", -2, "2 天前")]
    [InlineData("zh-Hans", 40, "1 个月后")]
    [InlineData("zh-Hant", 40, "1 個月後")]
    [InlineData("en", 1, "tomorrow")]
    [InlineData("en", 40, "one month from now")]
    [InlineData("zh-Hans", 0, "")]
    [InlineData("en", 0, "")]
    public void Other_distances_read_as_Humanizer_words_them_and_today_is_left_to_the_template(string language, int days, string expected)
    {
        var today = new DateOnly(2023, 11, 15);

        Assert.Equal(expected, RelativeDates.Humanize(today.AddDays(days), today, CultureInfo.GetCultureInfo(language)));
    }
}
