namespace WeChatAssist.Policy.Tests;

/// <summary>The counting conventions of POLICY_NOTES.md: 民法典 第二百零一条、第二百零三条.</summary>
public class CountingTests
{
    [Theory]
    [InlineData("2024-03-01", 90, true, "2024-05-31")]
    [InlineData("2024-03-01", 90, false, "2024-05-30")]
    [InlineData("2024-10-01", 90, true, "2024-12-31")]
    [InlineData("2023-12-31", 90, true, "2024-03-31")]
    public void Days_count_from_the_next_day_when_configured(string from, int days, bool nextDay, string firstDayAfter)
        => Assert.Equal(DateOnly.Parse(firstDayAfter), new CountedDuration(days, DurationUnit.Days, nextDay).FirstDayAfter(DateOnly.Parse(from)));

    [Theory]
    [InlineData("2024-01-01", "2024-04-02")]
    [InlineData("2024-01-10", "2024-04-11")]
    [InlineData("2024-03-30", "2024-07-01")]
    [InlineData("2024-03-31", "2024-07-01")]
    [InlineData("2023-11-29", "2024-03-01")]
    [InlineData("2023-11-30", "2024-03-01")]
    [InlineData("2024-11-29", "2025-03-01")]
    public void Three_months_end_on_the_corresponding_day_or_the_month_end(string paid, string firstCovered)
        => Assert.Equal(DateOnly.Parse(firstCovered), new CountedDuration(3, DurationUnit.Months, true).FirstDayAfter(DateOnly.Parse(paid)));

    [Fact]
    public void Ninety_days_from_birth_end_on_birth_plus_ninety()
        => Assert.Equal(new DateOnly(2024, 6, 13), new CountedDuration(90, DurationUnit.Days, true).LastDay(new DateOnly(2024, 3, 15)));

    [Theory]
    [InlineData("1963-10-10", "2023-10-10", 60)]
    [InlineData("1963-10-11", "2023-10-10", 59)]
    [InlineData("2004-02-29", "2023-02-28", 18)]
    [InlineData("2004-02-29", "2022-02-28", 17)]
    public void Age_is_in_completed_years(string birth, string on, int age)
        => Assert.Equal(age, AgeCondition.AgeOn(DateOnly.Parse(birth), DateOnly.Parse(on)));
}
