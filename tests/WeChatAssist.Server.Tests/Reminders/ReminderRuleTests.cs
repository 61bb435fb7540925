using WeChatAssist.Policy;
using WeChatAssist.Server.Reminders;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>Reminder rules come from each policy's own dates, through the engine.</summary>
public sealed class ReminderRuleTests
{
    private static readonly PolicyCatalog Catalog = PolicyCatalog.LoadShipped();

    [Theory]
    [InlineData("pengshui-2024", "deadline-7d", "2023-12-31", "2023-12-24")]
    [InlineData("pengshui-2024", "deadline-3d", "2023-12-31", "2023-12-28")]
    [InlineData("pengshui-2024", "deadline-1d", "2023-12-31", "2023-12-30")]
    [InlineData("wenxi-2024", "deadline-7d", "2023-12-25", "2023-12-18")]
    [InlineData("suiping-2025", "deadline-1d", "2024-12-31", "2024-12-30")]
    [InlineData("dianjiang-xinmin-2024", "late-jan-feb-7d", "2024-02-29", "2024-02-22")]
    [InlineData("dianjiang-xinmin-2024", "late-waiting-1d", "2024-06-30", "2024-06-29")]
    [InlineData("dianjiang-xinmin-2024", "late-waiting-fiscal-7d", "2024-09-30", "2024-09-23")]
    [InlineData("pengshui-2024", "late-jan-feb-1d", "2024-02-29", "2024-02-28")]
    [InlineData("pengshui-2024", "late-waiting-7d", "2024-06-30", "2024-06-23")]
    public void A_dated_rule_leads_up_to_the_policy_date(string policyId, string ruleId, string due, string sendOn)
    {
        var rule = Assert.Single(ReminderRules.For(Catalog.Get(policyId), new RemindersOptions()), r => r.Id == ruleId);

        Assert.Equal(DateOnly.Parse(due, System.Globalization.CultureInfo.InvariantCulture), rule.DueDate);
        Assert.Equal(DateOnly.Parse(sendOn, System.Globalization.CultureInfo.InvariantCulture), rule.SendOn);
        Assert.NotEmpty(rule.Cites);
    }

    [Fact]
    public void Pengshuis_last_late_regime_ends_where_a_payment_still_buys_cover()
    {
        var policy = Catalog.Get("pengshui-2024");
        var last = ReminderRules.For(policy, new RemindersOptions()).Where(r => r.Kind == ReminderKinds.LateChange).Max(r => r.DueDate);

        // 90 days from the day after payment: paying on 1 October starts cover on 31 December; a day later, none is left.
        Assert.Equal(new DateOnly(2024, 10, 1), last);
        Assert.Equal(QuoteOutcome.NoCoverRemaining, policy.Quote(new ResidentFacts { Tier = 1, BirthDate = new DateOnly(1980, 1, 1) }, last!.Value.AddDays(1)).Outcome);
    }

    [Fact]
    public void Wenxi_reminds_before_every_monthly_stop_on_the_26th_but_not_twice_at_the_deadline()
    {
        var stops = ReminderRules.For(Catalog.Get("wenxi-2024"), new RemindersOptions())
            .Where(r => r.Kind == ReminderKinds.MonthlyStop).Select(r => r.DueDate!.Value).ToList();

        Assert.Contains(new DateOnly(2023, 9, 25), stops);
        Assert.Contains(new DateOnly(2023, 10, 25), stops);
        Assert.Contains(new DateOnly(2023, 11, 25), stops);
        Assert.DoesNotContain(new DateOnly(2023, 12, 25), stops);
        Assert.All(stops, d => Assert.Equal(25, d.Day));
    }

    [Theory]
    [InlineData("pengshui-2024", false)]
    [InlineData("suiping-2025", false)]
    [InlineData("dianjiang-xinmin-2024", false)]
    [InlineData("wenxi-2024", true)]
    public void Only_a_policy_with_a_monthly_stop_has_monthly_stop_rules(string policyId, bool expected) =>
        Assert.Equal(expected, ReminderRules.For(Catalog.Get(policyId), new RemindersOptions()).Any(r => r.Kind == ReminderKinds.MonthlyStop));

    [Fact]
    public void Suiping_states_nothing_after_its_window_so_it_has_only_deadline_rules()
    {
        var kinds = ReminderRules.For(Catalog.Get("suiping-2025"), new RemindersOptions()).Select(r => r.Kind).Distinct();

        Assert.Equal([ReminderKinds.Deadline], kinds);
    }

    [Fact]
    public void Newborn_rules_exist_where_the_notice_has_a_newborn_window_and_find_births_by_the_engines_count()
    {
        var policy = Catalog.Get("dianjiang-xinmin-2024");
        var rules = ReminderRules.For(policy, new RemindersOptions()).Where(r => r.Kind == ReminderKinds.Newborn).ToList();

        Assert.Equal(["newborn-30d", "newborn-7d", "newborn-1d"], rules.Select(r => r.Id));
        var births = ReminderRules.BirthDatesWithWindowEndingOn(policy, new DateOnly(2024, 4, 1));
        var birth = Assert.Single(births);
        Assert.Equal(new DateOnly(2024, 4, 1), policy.Newborn!.Window.LastDay(birth));
    }

    [Fact]
    public void Payment_days_whose_waiting_period_ends_on_a_day_are_found_through_the_quote()
    {
        var policy = Catalog.Get("pengshui-2024");
        var coverStart = new DateOnly(2024, 6, 14);

        var days = ReminderRules.PaymentDaysWithCoverFrom(policy, coverStart);

        var day = Assert.Single(days);
        Assert.Equal(coverStart, policy.Quote(new ResidentFacts { Tier = 1, BirthDate = new DateOnly(1980, 1, 1) }, day).BenefitStart);
    }

    [Fact]
    public void A_county_can_have_its_own_deadline_offsets()
    {
        var options = new RemindersOptions();
        options.Counties["pengshui-2024"] = new CountyReminderOptions();
        options.Counties["pengshui-2024"].DeadlineOffsetDays.Add(10);
        options.Counties["pengshui-2024"].DeadlineOffsetDays.Add(2);

        var pengshui = ReminderRules.For(Catalog.Get("pengshui-2024"), options).Where(r => r.Kind == ReminderKinds.Deadline).Select(r => r.Id);
        var wenxi = ReminderRules.For(Catalog.Get("wenxi-2024"), options).Where(r => r.Kind == ReminderKinds.Deadline).Select(r => r.Id);

        Assert.Equal(["deadline-10d", "deadline-2d"], pengshui);
        Assert.Equal(["deadline-7d", "deadline-3d", "deadline-1d"], wenxi);
    }
}
