using WeChatAssist.Server.Chat;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Messages that carry more than one group, or a group that depends on a condition not given (issue #13, third
/// generalisation pass), with wording written for these tests: each group named gets its own line from the engine's
/// quote, and a condition not given is asked, never assumed.</summary>
public sealed class SeveralGroupsAndConditionsTests
{
    [Fact]
    public async Task Two_groups_asked_together_each_get_their_own_amount_and_no_shared_figure()
    {
        var engine = new ChatTestEngine();
        var both = await engine.AskAsync("suiping-2025", "请问五保户跟低保户分别要交几块钱", new DateOnly(2024, 10, 20));
        var onlyExtremelyPoor = await new ChatTestEngine().AskAsync("suiping-2025", "五保户交多少钱", new DateOnly(2024, 10, 20));
        var onlyLowIncome = await new ChatTestEngine().AskAsync("suiping-2025", "低保户交多少钱", new DateOnly(2024, 10, 20));

        Assert.Equal("each_group", both.Template);
        var lines = both.Text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("特困", StringComparison.Ordinal) && l.Contains(Amount(onlyExtremelyPoor.Text), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("低保", StringComparison.Ordinal) && l.Contains(Amount(onlyLowIncome.Text), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_groups_without_a_tier_in_a_county_of_two_tiers_list_every_tier_of_each_and_wait_for_the_tier()
    {
        var engine = new ChatTestEngine();
        var answer = await engine.AskAsync("pengshui-2024", "低保和重度残疾的人交医保各要好多", new DateOnly(2023, 11, 20));
        var afterTier = await engine.AskAsync("pengshui-2024", "二档", new DateOnly(2023, 11, 20));

        Assert.Equal("each_group", answer.Template);
        Assert.Equal(2, answer.Text.Split('\n').Count(l => l.Contains("1档", StringComparison.Ordinal) && l.Contains("2档", StringComparison.Ordinal)));
        Assert.Equal("each_group", afterTier.Template);
        Assert.Equal(2, afterTier.Text.Split('\n').Count(l => l.Contains("2档", StringComparison.Ordinal) && !l.Contains("1档", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_household_naming_both_tiers_without_saying_who_pays_which_is_asked_who_pays_which_not_given_one_tiers_total()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "我们家五口人有的交一档有的交二档 一共多少", new DateOnly(2023, 11, 20));

        Assert.Contains("各是什么情况", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("1900元", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("3775元", answer.Text, StringComparison.Ordinal);
    }

    // 遂平 2025: everyone 400元, 低保 310元 (90元 county subsidy); 垫江新民 2024: 一档 380元, 在渝高校大学生 350元.
    [Theory]
    [InlineData("suiping-2025", "家里五口人 我妈吃低保 一共交多少", "1910元")]
    [InlineData("suiping-2025", "我们家三口人 我是低保", "1110元")]
    [InlineData("suiping-2025", "俺两口子 俺是低保她不是 交多少", "710元")]
    [InlineData("wenxi-2024", "我是低保 我老婆不是 俺俩一共交多少", "456元")]
    [InlineData("suiping-2025", "俺跟老伴俩人交医保一共多少", "800元")]
    [InlineData("suiping-2025", "在外头打工 给家里两个老人一个娃交医保得多少", "1200元")]
    [InlineData("suiping-2025", "我和老伴还有个孩子 交多少", "1200元")]
    [InlineData("suiping-2025", "我和老伴 还有个问题 交多少", "800元")]
    [InlineData("dianjiang-xinmin-2024", "我和老伴一档 再加个孙孙也一档 一共多少", "1140元")]
    [InlineData("dianjiang-xinmin-2024", "屋头三个大人都交一档 还有个在重庆读大专的也交一档 一共多少", "1490元")]
    // 闻喜 2024: 380元, 返贫致贫 38元, 低保 76元; 彭水 2024: 一档 380元, 二档 755元.
    [InlineData("wenxi-2024", "俺和老伴都是返贫户 一共交多少", "76元")]
    [InlineData("suiping-2025", "俺是五保户 俺老伴低保 俩孙子上学 一共交多少", "1110元")]
    [InlineData("suiping-2025", "我和两个儿子交多少", "1200元")]
    [InlineData("wenxi-2024", "家里有个低保 四口人交多少", "1216元")]
    [InlineData("pengshui-2024", "我们屋头四口人 两个老的交一档 两个小的交二档 好多钱", "2270元")]
    // A head count with 屋头/屋里 is the household's total, as with 家: the members said after it are some of it.
    [InlineData("dianjiang-xinmin-2024", "屋头五个人都买二档 两个娃儿读初中 一共好多钱", "3775元")]
    [InlineData("pengshui-2024", "屋里四口人交一档 老汉吃低保 一共好多钱", "1178元")]
    [InlineData("pengshui-2024", "一家人四个 老汉是低保 其他都交一档 总共好多钱", "1178元")]
    public async Task Household_members_said_part_by_part_are_counted_once_each_and_the_rest_pay_as_everyone(string policy, string text, string total)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, policy == "suiping-2025" ? new DateOnly(2024, 10, 20) : new DateOnly(2023, 11, 14));

        Assert.Equal("household", answer.Template);
        Assert.Contains("合计：" + total, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disability_grade_said_for_one_of_two_people_leaves_the_grade_asked_not_everyone_unsubsidised()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "我跟我老婆都是残疾人 一个一级一个三级 交一档多少", new DateOnly(2023, 11, 20));

        Assert.Equal("ask_condition", answer.Template);
        Assert.DoesNotContain("760元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_said_of_some_people_not_told_apart_is_asked_back_not_given_to_everyone()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "一家四口 俺是低保 还有的不是 一共交多少", new DateOnly(2024, 10, 20));

        Assert.Contains("各是什么情况", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("1240元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paying_later_without_a_day_after_the_window_is_asked_the_day_where_the_amount_still_changes()
    {
        var chat = new ChatTestEngine();
        var later = await chat.AskAsync("dianjiang-xinmin-2024", "我想过段时间再交 到时候交多少", new DateOnly(2024, 5, 20));
        var day = await chat.AskAsync("dianjiang-xinmin-2024", "8月10号交", new DateOnly(2024, 5, 20));
        var withDay = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "我想8月份再交 要多少钱", new DateOnly(2024, 5, 20));
        var inWindow = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "晚点交行不行 最后哪天", new DateOnly(2023, 11, 20));

        Assert.Contains("哪天交", later.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("元", later.Text, StringComparison.Ordinal);
        Assert.Contains("1020元", withDay.Text, StringComparison.Ordinal);
        // The day given continues the question: the late amount, and no unrelated clause under a reply of facts only.
        Assert.Contains("1020元", day.Text, StringComparison.Ordinal);
        Assert.Contains("2024年11月9日", day.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("通知原文", day.Text, StringComparison.Ordinal);
        Assert.Contains("2023年12月31日", inWindow.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_person_said_to_be_in_two_groups_gets_one_amount()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "我是低保户也是五保户 要交多少", new DateOnly(2024, 10, 20));

        Assert.Equal("quote_ok", answer.Template);
    }

    [Theory]
    [InlineData("dianjiang-xinmin-2024")]
    [InlineData("pengshui-2024")]
    public async Task A_university_freshman_paying_at_entry_is_covered_from_the_next_day_where_the_notice_says_so(string policy)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, "孩子今年刚考上重庆的大学 开学报到那天交了医保 什么时候开始有保障", new DateOnly(2023, 9, 12));

        Assert.Contains("2023年9月13日", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("2024年1月1日开始", answer.Text, StringComparison.Ordinal);
        Assert.Contains("完成缴费的次日", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dianjiang-xinmin-2024")]
    [InlineData("pengshui-2024")]
    public async Task A_freshman_whose_university_is_not_said_to_be_in_Chongqing_gets_the_rule_for_Chongqing_universities_and_no_computed_date(string policy)
    {
        // The rule's sentence names the universities it is for; no cover start is computed for him and no amount given.
        var answer = await new ChatTestEngine().AskAsync(policy, "闺女今年考上大学了 医保从哪天起能用", new DateOnly(2023, 9, 12));

        Assert.Contains("在渝高校", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("待遇从", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+元", answer.Text);
    }

    [Fact]
    public async Task The_reply_to_the_college_place_question_continues_the_question_with_the_rate_it_decides()
    {
        var inChongqing = new ChatTestEngine();
        await inChongqing.AskAsync("pengshui-2024", "我家娃儿读大学 交多少", new DateOnly(2023, 11, 20));
        var college = await inChongqing.AskAsync("pengshui-2024", "在重庆读", new DateOnly(2023, 11, 20));

        var elsewhere = new ChatTestEngine();
        await elsewhere.AskAsync("pengshui-2024", "我家娃儿读大学 交多少", new DateOnly(2023, 11, 20));
        var resident = await elsewhere.AskAsync("pengshui-2024", "不在重庆", new DateOnly(2023, 11, 20));

        Assert.Contains("350元", college.Text, StringComparison.Ordinal);
        Assert.Contains("380元", resident.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("350元", resident.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_freshman_in_a_county_whose_notice_is_silent_on_freshmen_is_not_given_the_next_day()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "孩子今年刚考上大学 今天交了医保 什么时候开始有保障", new DateOnly(2024, 9, 25));

        Assert.DoesNotContain("2024年9月26日", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("我爸今年七十多了 交医保能少交点不")]
    [InlineData("奶奶都八十了 医保要交多少")]
    public async Task An_old_person_in_a_county_that_subsidises_only_low_income_elders_is_asked_about_low_income_and_given_no_amount(string text)
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", text, new DateOnly(2023, 11, 20));

        Assert.Equal("ask_condition", answer.Template);
        Assert.Contains("低收入", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9]元", answer.Text);
    }

    [Fact]
    public async Task An_old_person_said_to_be_of_a_low_income_family_gets_the_amount_without_a_question()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "我是低收入家庭的 今年六十五岁 交医保多少钱", new DateOnly(2023, 11, 20));

        Assert.Equal("quote_ok", answer.Template);
        Assert.Contains("190元", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wenxi-2024")]
    [InlineData("pengshui-2024")]
    public async Task A_group_with_no_subsidy_of_its_own_is_asked_whether_it_is_the_subsidised_kind_before_any_amount(string policy)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, "俺们是脱贫人口 医保一个人交几块", new DateOnly(2023, 11, 20));

        Assert.Equal("ask_condition", answer.Template);
        Assert.Contains("脱贫不稳定", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9]元", answer.Text);
    }

    [Fact]
    public async Task A_newborns_last_day_asked_without_the_birth_date_is_a_question_for_the_birth_date()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "屋里才生了个小娃 最晚哪天前要把医保交了", new DateOnly(2024, 3, 10));

        Assert.StartsWith("ask_", answer.Template, StringComparison.Ordinal);
        Assert.Contains("出生日期", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("截止", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("待遇从", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task People_joined_to_a_head_count_are_counted_in_the_household_total()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "老两口再加两个孙子 一共要交多少钱", new DateOnly(2024, 10, 20));

        Assert.Equal("household", answer.Template);
        Assert.Contains("4人", answer.Text, StringComparison.Ordinal);
        Assert.Contains("合计：1600元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_month_said_with_today_is_paid_today_not_on_the_first_of_the_month()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "四月份去补的 今天刚交上 哪天起能报销", new DateOnly(2024, 4, 17));
        var onTheFirst = await new ChatTestEngine().AskAsync("wenxi-2024", "4月1号补交的 哪天起能报销", new DateOnly(2024, 4, 17));

        Assert.Contains("现在交", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("2024年4月1日交", answer.Text, StringComparison.Ordinal);
        Assert.NotEqual(onTheFirst.Text, answer.Text);
    }

    private static string Amount(string text) =>
        System.Text.RegularExpressions.Regex.Match(text, @"个人交(\d+元)").Groups[1].Value is { Length: > 0 } amount
            ? amount
            : throw new Xunit.Sdk.XunitException("no amount in: " + text);

    [Fact]
    public async Task A_family_calling_itself_jisheng_in_suiping_is_asked_whether_it_has_one_child_or_two_daughters()
    {
        var chat = new ChatTestEngine();
        var today = new DateOnly(2024, 10, 10);

        var asked = await chat.AskAsync("suiping-2025", "我们家算计生户 医保补多少", today);
        var named = await new ChatTestEngine().AskAsync("suiping-2025", "俺家独生子女户 两口子交多少", today);

        Assert.Equal("ask_condition", asked.Template);
        Assert.Contains("独生子女户还是双女户", asked.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+元", asked.Text);
        Assert.Contains("800元", named.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edge_household_is_quoted_where_both_edge_groups_are_subsidised_alike_and_asked_where_they_differ()
    {
        var today = new DateOnly(2023, 11, 10);

        // 003: 低保边缘户 and 边缘易致贫户 both get 70 % of 一档; 004: 边缘易致贫 and 低收入家庭 differ.
        var pengshui = await new ChatTestEngine().AskAsync("pengshui-2024", "边缘户交一档多少", today);
        var wenxi = await new ChatTestEngine().AskAsync("wenxi-2024", "边缘户交多少", today);

        Assert.Contains("114元", pengshui.Text, StringComparison.Ordinal);
        Assert.Equal("ask_condition", wenxi.Template);
    }

    [Theory]
    [InlineData("dianjiang-xinmin-2024", "闺女在省外念大学 医保交好多")]
    [InlineData("pengshui-2024", "儿子在外省读大学 交多少")]
    public async Task A_student_at_a_university_outside_Chongqing_pays_as_any_resident_not_the_college_rate(string policy, string text)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, new DateOnly(2023, 10, 22));

        Assert.Contains("380元", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("350元", answer.Text, StringComparison.Ordinal);
        Assert.Contains("不在重庆读的大学生按普通居民交", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_university_said_to_be_away_from_home_may_still_be_in_Chongqing_so_where_is_asked()
    {
        // 外地 is away from the county, which may be 重庆主城: the college rate is neither given nor refused.
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "闺女在外地念大学 医保交好多", new DateOnly(2023, 10, 22));

        Assert.Equal("ask_condition", answer.Template);
        Assert.Contains("重庆", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+元", answer.Text);
    }

    [Fact]
    public async Task The_kind_of_veteran_said_is_not_asked_again()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "我爸是60岁以上农村籍退役人员 算哪类优抚对象", new DateOnly(2023, 11, 28));

        Assert.NotEqual("ask_condition", answer.Template);
        Assert.Contains("其他优抚对象", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_asking_whether_it_is_looked_after_gets_its_subsidy_not_the_payment_record()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "独生子女户交医保有照顾没", new DateOnly(2024, 10, 20));

        Assert.Contains("计生户", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("绑定", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sentence_under_a_groups_quote_is_its_own_not_one_about_other_groups()
    {
        // 遂平 2025: 一、（三）1 speaks of 特困人员、监测人员 and 低保人员; the 重度残疾人员's own sentence is 一、（二）.
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "重残的交医保还要自己出钱不", new DateOnly(2024, 10, 20));

        Assert.Equal("quote_ok", answer.Template);
        Assert.Contains("残联认定的重度残疾人员", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("免征代缴", answer.Text, StringComparison.Ordinal);
    }
    [Fact]
    public async Task One_who_works_asking_whether_he_still_pays_is_asked_whether_his_work_insures_him_a_no_gets_the_amount_and_a_yes_that_he_does_not_pay()
    {
        var engine = new ChatTestEngine();
        var ask = await engine.AskAsync("dianjiang-xinmin-2024", "我在厂里上班 厂里给我买了社保 还要交这个医保不", new DateOnly(2023, 11, 2));
        var no = await engine.AskAsync("dianjiang-xinmin-2024", "没有职工医保", new DateOnly(2023, 11, 2));
        var other = new ChatTestEngine();
        await other.AskAsync("dianjiang-xinmin-2024", "在外地打工 单位买了社保 还用交居民医保吗", new DateOnly(2023, 11, 2));
        var insured = await other.AskAsync("dianjiang-xinmin-2024", "有职工医保", new DateOnly(2023, 11, 2));
        var yes = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "我在单位有职工医保 还要交这个吗", new DateOnly(2023, 11, 2));

        Assert.Equal("ask_condition", ask.Template);
        Assert.Contains("职工医保", ask.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("380元", ask.Text, StringComparison.Ordinal);
        Assert.Contains("380元", no.Text, StringComparison.Ordinal);
        Assert.Contains("不用再交", insured.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("380元", insured.Text, StringComparison.Ordinal);
        Assert.NotEqual("ask_condition", yes.Template);
    }
}
