using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Reminders;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>The shipped message templates (<c>templates/reminders/messages.zh-Hans.yaml</c>, Scriban) rendered with the
/// values the dispatcher gives them: relative dates counted in calendar days from the business clock's date.</summary>
public sealed class ReminderMessageTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    private static readonly PolicyCatalog Catalog = PolicyCatalog.LoadShipped();
    private static readonly ReminderMessages Messages =
        ReminderMessages.Load(Path.Combine(AppContext.BaseDirectory, ReminderMessages.FileName), new Dictionary<string, string>());

    [Theory]
    [InlineData(ReminderKinds.Deadline, "thing4", "3 天后截止，请尽快缴费")]
    [InlineData(ReminderKinds.Newborn, "thing4", "出生90日内参保，3 天后截止")]
    [InlineData(ReminderKinds.LateChange, "thing4", "3 天后缴费标准或待遇将变化")]
    [InlineData(ReminderKinds.MonthlyStop, "thing4", "3 天后起暂停缴费，请尽快缴")]
    public void A_date_2_days_23_hours_away_is_written_3_days_away(string kind, string field, string expected)
    {
        // 01:00 on 28 December, business time; the reminder leads up to 31 December.
        var clock = new BusinessClock(TimeProvider.System, new DateTimeOffset(2023, 12, 28, 1, 0, 0, TimeSpan.FromHours(8)), Shanghai);
        var model = ReminderContent.Model(Catalog.Get("pengshui-2024"), ResidentFacts.Ordinary, clock.Today(), new DateOnly(2023, 12, 31), null);

        var message = Messages.Render(kind, model);

        Assert.Equal(expected, message.Data[field]);
        Assert.True(message.Data[field].Length <= 20, "a thing keyword holds 20 characters");
    }

    [Fact]
    public void On_the_day_itself_the_message_says_today_and_the_tiers_are_listed_with_slashes()
    {
        var model = ReminderContent.Model(Catalog.Get("pengshui-2024"), ResidentFacts.Ordinary, new DateOnly(2023, 12, 31), new DateOnly(2023, 12, 31), null);

        var message = Messages.Render(ReminderKinds.Deadline, model);

        Assert.Equal("今天截止，请尽快缴费", message.Data["thing4"]);
        Assert.Equal("2023年12月31日", message.Data["time2"]);
        Assert.Matches("^1档[0-9]+元/2档[0-9]+元$", message.Data["thing3"]);
    }
}
