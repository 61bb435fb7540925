using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>General mechanisms of issue #13's generalisation pass, each checked with wording written for these tests
/// (not taken from any evaluation split): what is out of scope is decided by the topic a message names, a relative of a
/// group member is asked their own group, and a figure is never the answer to a question that asks none.</summary>
public sealed class ScopeAndClauseChoiceTests
{
    [Theory]
    [InlineData("dianjiang-xinmin-2024", "公积金能不能取出来装修房子")]
    [InlineData("dianjiang-xinmin-2024", "社保卡的密码忘记了咋整")]
    [InlineData("pengshui-2024", "住院押金一般要交几千块")]
    [InlineData("pengshui-2024", "城乡居民养老保险交哪个档划算")]
    [InlineData("suiping-2025", "后天遂平下不下雪")]
    [InlineData("wenxi-2024", "生育津贴多久能发下来")]
    [InlineData("pengshui-2024", "县城到重庆的大巴几点一趟")]
    [InlineData("wenxi-2024", "闻喜去运城的公交几点有")]
    public async Task Another_schemes_fee_or_service_is_declined_without_an_amount_or_a_date(string policy, string text)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text);

        Assert.Equal("out_of_scope", answer.Template);
        Assert.True(answer.FellBack);
        Assert.DoesNotMatch(@"[0-9]元|\d{4}年\d{1,2}月\d{1,2}日", answer.Text);
    }

    [Theory]
    [InlineData("dianjiang-xinmin-2024", "单位有职工医保的人还能参加居民医保吗")]
    [InlineData("wenxi-2024", "职工医保和居民医保两个都交行不行")]
    public async Task A_message_naming_this_scheme_beside_another_is_not_declined(string policy, string text)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text);

        Assert.NotEqual("out_of_scope", answer.Template);
        Assert.NotEqual(ChatIntent.OutOfScope, answer.Intent);
    }

    [Theory]
    [InlineData("wenxi-2024", "哪些人能参加咱县的医保")]
    [InlineData("wenxi-2024", "我已经有职工医保了 村里怎么还来收")]
    [InlineData("wenxi-2024", "娃儿还没上户口 能先交医保吗")]
    [InlineData("wenxi-2024", "俺不会用手机 叫村委会帮着交行吗")]
    public async Task A_question_about_this_scheme_in_other_words_is_answered_by_its_clause(string policy, string text)
    {
        // The resident's own county (咱县), this scheme asked again of someone insured elsewhere, paying before an
        // errand of another service, and paying through someone else: none is another scheme's question.
        var answer = await new ChatTestEngine().AskAsync(policy, text);

        Assert.Equal("clause", answer.Template);
        Assert.NotEqual(ChatIntent.OutOfScope, answer.Intent);
    }

    [Theory]
    [InlineData("wenxi-2024", "特困户的女儿交医保要多少钱")]
    [InlineData("pengshui-2024", "重残人员的老公交一档多少")]
    public async Task A_relative_of_a_group_member_is_asked_their_own_group_and_given_no_amount(string policy, string text)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text);

        Assert.Equal("ask_condition", answer.Template);
        Assert.Contains("家人自己", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9]元", answer.Text);
    }

    [Fact]
    public async Task The_resident_naming_their_own_child_in_a_group_gets_that_groups_amount()
    {
        // "我的女儿" is the resident's own child, who is the 特困 person asked about: no question back.
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "我的女儿是特困人员 她交多少钱");

        Assert.Equal("quote_ok", answer.Template);
        Assert.Contains("0元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_that_asks_no_figure_is_answered_by_the_clause_it_matches_not_by_an_amount()
    {
        // Wenxi's 六、（二）9. has the county's media and the village loudspeakers publicise the collection.
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "村里的大喇叭会不会宣传交医保");

        Assert.Equal("clause", answer.Template);
        Assert.DoesNotContain("380元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notice_whose_facts_say_nothing_of_benefits_does_not_answer_a_reimbursement_question_with_them()
    {
        // Suiping's only non-eligibility fact is the townships' work funding: it is not what the insurance pays.
        var suiping = await new ChatTestEngine().AskAsync("suiping-2025", "住院的话能给报销多少", new DateOnly(2024, 10, 20));
        Assert.DoesNotContain("工作经费", suiping.Text, StringComparison.Ordinal);

        // Wenxi's notice states the inpatient ratio: that fact still answers.
        var wenxi = await new ChatTestEngine().AskAsync("wenxi-2024", "住院的话能给报销多少");
        Assert.Contains("70%", wenxi.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_cover_starts_is_answered_with_the_cover_start_not_the_collection_window()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "我今天交了从什么时候起生效");

        Assert.NotEqual("deadline", answer.Template);
        Assert.Contains("待遇从2024年1月1日开始", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_window_the_last_day_for_late_payment_is_said_while_it_is_open()
    {
        // Dianjiang-Xinmin takes late payments until 30 September of the benefit year (二、（四）).
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "过了集中交费期 最晚哪天前要交上", new DateOnly(2024, 3, 10));

        Assert.Contains("2024年9月30日", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_year_university_student_in_chongqing_pays_the_college_rate()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "女儿在重庆读大二 交一档要多少");

        Assert.Contains("350元", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("380元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deferred_subsidy_is_quoted_once_not_again_as_a_note()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "低保户交多少", new DateOnly(2024, 1, 20));

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(answer.Text, "其资助标准按相关文件执行"));
    }

    [Fact]
    public async Task A_household_with_one_member_in_a_group_whose_subsidy_the_notice_defers_quotes_the_deferral_and_no_amount()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "家里三口人 只有我是低保 一共交多少");

        Assert.Contains("其资助标准按相关文件执行", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9]元", answer.Text);
    }

    [Theory]
    [InlineData("我们全家交医保一共多少")]
    [InlineData("家里三口人 有的是低保 一共交多少")]
    public async Task A_household_without_its_head_count_or_with_a_group_said_of_only_some_is_asked_who_pays(string text)
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", text);

        Assert.Equal("ask_condition", answer.Template);
        Assert.Contains("几口人", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch("[0-9]元", answer.Text);
    }

    [Fact]
    public async Task A_household_asked_per_person_gets_the_one_persons_amount()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "全家都要交 每个人交多少");

        Assert.Contains("380元", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("在电脑上的电子税务局能不能交居民医保", "电子税务局")]
    [InlineData("我可以替我妈交医保吗", null)]
    public async Task A_message_naming_no_baby_is_never_told_the_notice_is_silent_on_newborns(string question, string? expected)
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", question, new DateOnly(2024, 10, 20));

        Assert.DoesNotContain("新生儿", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("没有写明", answer.Text, StringComparison.Ordinal);
        if (expected is not null)
        {
            Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_why_question_about_a_computed_figure_gets_the_reason_from_the_clause_the_figure_rests_on()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "为什么现在交比之前贵这么多", new DateOnly(2024, 7, 10));

        Assert.Contains("1020元", answer.Text, StringComparison.Ordinal);
        Assert.Contains("各级财政补助", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_about_the_residents_own_record_gets_no_clause_of_the_notice_under_it()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "我交了没有", new DateOnly(2023, 11, 15));

        Assert.StartsWith("status_", answer.Template, StringComparison.Ordinal);
        Assert.DoesNotContain("通知原文", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("邮政的卡能交不")]
    [InlineData("拿建行卡可以交吗")]
    [InlineData("去税务局大厅能交不")]
    public async Task Whether_a_banks_card_pays_is_answered_with_the_ways_to_pay_not_a_figure(string text)
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", text, new DateOnly(2023, 10, 14));

        Assert.Matches("农商行|办税服务厅", answer.Text);
        Assert.DoesNotContain("380元", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("suiping-2025", "税务局管啥", "税务")]
    [InlineData("wenxi-2024", "县财政局负责啥", "县财政局")]
    public async Task What_an_office_does_is_the_notices_sentence_on_it_not_what_the_insurance_covers(string policy, string text, string office)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text);

        Assert.NotEqual("topic_not_stated", answer.Template);
        Assert.Contains(office, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_of_members_cut_at_semicolons_says_each_member_once()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "教育局负责啥");

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(answer.Text, "马中培"));
    }

    [Theory]
    [InlineData("乡镇几号前要报进度", "报送进展情况")]
    [InlineData("从哪天开始每天都要通报", "11月1日起")]
    public async Task A_day_asked_of_an_offices_task_is_the_clause_naming_it_not_the_collection_window(string text, string phrase)
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", text, new DateOnly(2023, 10, 20));

        Assert.Contains(phrase, answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("集中缴费期：", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whether_money_paid_comes_back_is_handed_to_the_office_that_corrects_payments_not_a_figure()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "交了以后能退不", new DateOnly(2024, 10, 20));

        Assert.Equal("fix_registration", answer.Template);
        Assert.DoesNotContain("400元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_not_yet_insured_is_this_schemes_question_not_declined()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "民政局这边 新增加的低保户还没参保 咋整", new DateOnly(2023, 10, 11));

        Assert.NotEqual("out_of_scope", answer.Template);
        Assert.Contains("核实参保情况", answer.Text, StringComparison.Ordinal);
    }
}
