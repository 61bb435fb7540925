using WeChatAssist.Policy;
using WeChatAssist.Server.Chat;
using WeChatAssist.Server.Chat.Residents;
using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Tests.Chat;

public sealed class ConversationTests
{
    [Fact]
    public async Task Amount_question_then_category_reply_gives_the_categorys_amount()
    {
        var chat = new ChatTestEngine();

        var first = await chat.AskAsync("wenxi-2024", "交多少钱");
        Assert.Equal(ChatIntent.AmountDue, first.Intent);
        Assert.Contains("380元", first.Text, StringComparison.Ordinal);
        Assert.Contains("2023年12月25日", first.Text, StringComparison.Ordinal);
        Assert.Contains("回复您的类别", first.Text, StringComparison.Ordinal);

        var second = await chat.AskAsync("wenxi-2024", "我是低保户");
        Assert.Equal(ChatIntent.AmountDue, second.Intent);
        Assert.StartsWith("低保对象2024年度个人交76元，截止2023年12月25日。", second.Text, StringComparison.Ordinal);
        Assert.Contains("闻政办发〔2023〕29号", second.Text, StringComparison.Ordinal);
        Assert.Contains("二、（六）", second.Text, StringComparison.Ordinal);
        Assert.Contains(second.Citations, c => c.ClauseId == "s2-6");
    }

    [Fact]
    public async Task Two_tier_county_lists_both_tiers_then_the_category_reply_gives_its_tiers()
    {
        var chat = new ChatTestEngine();
        var first = await chat.AskAsync("pengshui-2024", "医保交多少钱");
        Assert.Contains("1档380元", first.Text, StringComparison.Ordinal);
        Assert.Contains("2档755元", first.Text, StringComparison.Ordinal);

        var second = await chat.AskAsync("pengshui-2024", "吃低保的");
        Assert.Contains("1档38元", second.Text, StringComparison.Ordinal);
        Assert.Contains("2档375元", second.Text, StringComparison.Ordinal);

        var third = await chat.AskAsync("pengshui-2024", "一档");
        Assert.Contains("1档个人交38元", third.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dialogue_state_expires()
    {
        var chat = new ChatTestEngine();
        await chat.AskAsync("wenxi-2024", "交多少钱");
        chat.Clock.Advance(TimeSpan.FromHours(2));

        var later = await chat.AskAsync("wenxi-2024", "嗯嗯");
        Assert.True(later.FellBack);
    }

    [Fact]
    public async Task Other_followers_do_not_share_state()
    {
        var chat = new ChatTestEngine();
        await chat.AskAsync("wenxi-2024", "交多少钱", user: "a");
        var other = await chat.AskAsync("wenxi-2024", "我是低保户", user: "b");
        Assert.Contains("76元", other.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("380元", other.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Human_contact_gives_wenxis_phone_numbers()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "转人工");
        Assert.Equal(ChatIntent.ContactPerson, answer.Intent);
        Assert.Contains("县医保局 0359-8801801", answer.Text, StringComparison.Ordinal);
        Assert.Contains("咨询电话", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pengshui-2024", "县医保局")]
    [InlineData("dianjiang-xinmin-2024", "镇社保所")]
    [InlineData("suiping-2025", "行政服务大厅三楼医保窗口")]
    public async Task Human_contact_gives_the_offices_where_the_notice_has_no_phone(string policyId, string office)
    {
        var answer = await new ChatTestEngine().AskAsync(policyId, "人工", today: policyId == "suiping-2025" ? new DateOnly(2024, 10, 15) : null);
        Assert.Contains(office, answer.Text, StringComparison.Ordinal);
        Assert.Contains("没有公布咨询电话", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Menu_number_answers_its_question()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "2");
        Assert.Equal(ChatIntent.Deadline, answer.Intent);
        Assert.Contains("2023年9月1日至2023年12月25日", answer.Text, StringComparison.Ordinal);
        Assert.Contains("每月26日至月底暂停办理", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Greeting_shows_a_numbered_menu()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "你好");
        Assert.Contains("1 交多少钱", answer.Text, StringComparison.Ordinal);
        Assert.Contains("9 人工咨询", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Out_of_scope_question_is_declined_without_an_amount()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "养老保险怎么交");
        Assert.True(answer.FellBack);
        Assert.DoesNotContain("元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ambiguous_question_asks_which_is_meant_and_the_number_picks_it()
    {
        var chat = new ChatTestEngine();
        // A weak guess between two readings gets the numbered choice.
        var answer = await chat.AskAsync("dianjiang-xinmin-2024", "你叫什么名字");
        Assert.True(answer.FellBack);
        Assert.Equal("clarify", answer.Template);
        Assert.Contains("1 ", answer.Text, StringComparison.Ordinal);
        var picked = await chat.AskAsync("dianjiang-xinmin-2024", "2");
        Assert.False(picked.FellBack);
    }

    [Fact]
    public async Task When_can_i_use_it_is_answered_with_the_day_cover_starts_not_a_question_back()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "等多久能报销");
        Assert.False(answer.FellBack);
        Assert.Contains("待遇从2024年1月1日开始", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2023-11-15", "最后交费日期2023年12月31日")]
    [InlineData("2024-03-01", "待遇从2024年5月31日开始")]
    public async Task Can_i_still_pay_is_read_against_the_collection_window(string today, string expected)
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "现在还能交吗", DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_last_late_payment_day_the_answer_names_that_day_instead_of_saying_the_notice_is_silent()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "现在还能交今年的医保不", new DateOnly(2024, 10, 8));
        Assert.Contains("补交截止2024年9月30日，已经过了", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("没有写明", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_gap_between_two_tiers_is_the_engines_difference()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "交二档比一档多好多钱", new DateOnly(2023, 12, 13));
        Assert.Contains("2档比1档个人多交375元", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pengshui-2024", "交了管到什么时候", "2023-11-08", "2024年12月31日")]
    [InlineData("suiping-2025", "今年交的能管到啥时候", "2024-10-26", "2025年12月31日")]
    public async Task How_long_cover_lasts_is_answered_with_its_last_day(string policyId, string text, string today, string end)
    {
        var answer = await new ChatTestEngine().AskAsync(policyId, text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("到" + end, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_the_government_pays_is_the_policys_fiscal_subsidy_and_the_full_cost_adds_it()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "咱这医保总共一个人多少钱 个人加国家的", new DateOnly(2024, 10, 29));
        Assert.Contains("财政补助670元", answer.Text, StringComparison.Ordinal);
        Assert.Contains("合计每人1070元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_people_paying_late_are_quoted_per_person_and_summed()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "我和老伴现在补交一档 一共要多少", new DateOnly(2024, 8, 20));
        Assert.Contains("2040元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_babys_last_day_is_the_newborn_rules_not_the_campaigns()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "7月20号生的娃 哪天之前要去参保", new DateOnly(2024, 7, 22));
        Assert.Contains("2024年10月18日", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wenxi_after_the_window_quotes_late_payment_for_last_years_payers_and_says_the_condition()
    {
        var chat = new ChatTestEngine();
        var today = new DateOnly(2023, 12, 28);
        var first = await chat.AskAsync("wenxi-2024", "现在还能交医保吗", today);
        Assert.DoesNotContain("ask_", first.Template, StringComparison.Ordinal);
        Assert.Contains("只有上年度参保并缴费的居民可以补缴", first.Text, StringComparison.Ordinal);
        Assert.Contains("1020元", first.Text, StringComparison.Ordinal);
        Assert.Contains("2023年12月28日不办理缴费，最早2024年1月1日可以交", first.Text, StringComparison.Ordinal);
        Assert.Contains("五、（二）", first.Text, StringComparison.Ordinal);

        var late = await chat.AskAsync("wenxi-2024", "去年交了 现在补交多少", today);
        Assert.Contains("1020元", late.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("只有上年度参保", late.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deadline_question_with_a_day_is_answered_for_that_day()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "月底交来得及吗");
        Assert.Contains("2023年11月30日不办理缴费，最早2023年12月1日可以交", answer.Text, StringComparison.Ordinal);
        Assert.Contains("380元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Amount_to_confirm_is_answered_with_the_amount()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "交380对吗");
        Assert.Equal(ChatIntent.AmountDue, answer.Intent);
        Assert.Contains("380元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reimbursed_subsidy_leads_with_what_the_resident_pays_first()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "孤儿要交钱吗", new DateOnly(2024, 10, 15));
        Assert.StartsWith("孤儿2025年度个人交400元", answer.Text, StringComparison.Ordinal);
        Assert.Contains("资助部分事后返还", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_campaign_is_said_honestly_without_amounts()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "医保交多少钱", today: new DateOnly(2026, 3, 1));
        Assert.Equal("past_campaign", answer.Template);
        Assert.Contains("2024年度", answer.Text, StringComparison.Ordinal);
        Assert.Contains("0359-8801801", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("380元", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Late_payment_in_wenxi_is_answered_for_last_years_payers_and_someone_who_did_not_pay_is_told_the_notice_is_silent()
    {
        var chat = new ChatTestEngine();
        var answer = await chat.AskAsync("wenxi-2024", "明年一月补交什么时候能用");
        Assert.Equal(ChatIntent.LatePayment, answer.Intent);
        Assert.Contains("只有上年度参保并缴费的居民可以补缴", answer.Text, StringComparison.Ordinal);
        Assert.Contains("待遇从", answer.Text, StringComparison.Ordinal);

        var notPaid = await chat.AskAsync("wenxi-2024", "去年没交 明年一月补交什么时候能用");
        Assert.DoesNotContain("待遇从", notPaid.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_notice_says_so_and_points_to_the_offices()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "低保户交多少钱");
        Assert.Equal("not_stated", answer.Template);
        Assert.Contains("没有写明", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+元", answer.Text);
    }

    [Fact]
    public async Task Payment_channels_not_stated_in_pengshui_are_not_invented()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "怎么交医保");
        Assert.Equal("topic_not_stated", answer.Template);
        Assert.DoesNotContain("支付宝", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coverage_cites_what_the_notice_says()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "门诊能报多少");
        Assert.Equal(ChatIntent.Coverage, answer.Intent);
        Assert.Contains("300元", answer.Text, StringComparison.Ordinal);
        Assert.Contains("六、（四）", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bound_resident_gets_a_personal_amount_without_being_asked()
    {
        var residents = new SeededResidentDirectory(new Dictionary<string, BoundResident>
        {
            ["o-dibao"] = new("王大妈", ["dibao"], new DateOnly(1950, 5, 1), StudentKind.None, true, null, null),
            ["o-paid"] = new("李大爷", [], new DateOnly(1955, 1, 1), StudentKind.None, true, new DateOnly(2023, 10, 8), 38000),
        });
        var chat = new ChatTestEngine(residents);

        var amount = await chat.AskAsync("wenxi-2024", "交多少钱", user: "o-dibao");
        Assert.Contains("76元", amount.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("回复您的类别", amount.Text, StringComparison.Ordinal);

        var unpaid = await chat.AskAsync("wenxi-2024", "我交了没有", user: "o-dibao");
        Assert.Contains("还没有查到", unpaid.Text, StringComparison.Ordinal);
        Assert.Contains("76元", unpaid.Text, StringComparison.Ordinal);

        var paid = await chat.AskAsync("wenxi-2024", "我交了没有", user: "o-paid");
        Assert.Contains("2023年10月8日", paid.Text, StringComparison.Ordinal);
        Assert.Contains("380元", paid.Text, StringComparison.Ordinal);
        Assert.Contains("2024年1月1日", paid.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unbound_follower_asking_status_is_told_to_bind()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "帮我查一下我交成功没");
        Assert.Equal("status_unbound", answer.Template);
    }

    [Fact]
    public async Task Subscribe_and_unsubscribe_are_recorded()
    {
        var chat = new ChatTestEngine();
        await chat.AskAsync("wenxi-2024", "提醒我交医保");
        Assert.True(await chat.Reminders.GetAsync("acct", "o-user", CancellationToken.None));
        await chat.AskAsync("wenxi-2024", "取消提醒");
        Assert.False(await chat.Reminders.GetAsync("acct", "o-user", CancellationToken.None));
    }

    [Theory]
    [InlineData("pengshui-2024", "乡里会不会派人通知我们去交")]
    [InlineData("wenxi-2024", "村委会要不要先把名单报上去")]
    [InlineData("suiping-2025", "镇上要不要专门开个会布置收费")]
    [InlineData("dianjiang-xinmin-2024", "交医保的时候要不要带户口本")]
    public async Task A_question_about_what_an_office_does_is_not_a_reminder_command(string policy, string text)
    {
        var chat = new ChatTestEngine();
        await chat.AskAsync(policy, "提醒我交医保");

        var answer = await chat.AskAsync(policy, text);

        Assert.DoesNotContain("subscribed", answer.Template, StringComparison.Ordinal);
        Assert.True(await chat.Reminders.GetAsync("acct", "o-user", CancellationToken.None));
    }

    [Theory]
    [InlineData("2023-12-20", "subscribed", "截止（2023年12月31日）前会提醒您")]
    [InlineData("2024-01-01", "subscribed_window_over", "本年度集中缴费已于2023年12月31日截止")]
    public async Task Subscribing_promises_a_reminder_before_the_last_day_only_while_the_window_is_open(string today, string template, string expected)
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "提醒我交医保", DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(template, answer.Template);
        Assert.Contains(expected, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Traditional_chinese_follower_gets_traditional_characters()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "低保戶繳多少錢", language: ChatLanguage.TraditionalChinese);
        Assert.Contains("76元", answer.Text, StringComparison.Ordinal);
        Assert.Contains("個人交", answer.Text, StringComparison.Ordinal);
        Assert.Contains("依據", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("个人", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_follower_gets_english_with_humanized_dates()
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", "低保户交多少钱", language: ChatLanguage.English);
        Assert.Contains("you pay 76 yuan for 2024", answer.Text, StringComparison.Ordinal);
        Assert.Contains("by 25 December 2023 (one month from now)", answer.Text, StringComparison.Ordinal);
        Assert.Contains("Basis: 闻政办发〔2023〕29号, ", answer.Text, StringComparison.Ordinal);
        Assert.Contains("二、（六）", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_questions_are_understood_for_the_main_intents()
    {
        var chat = new ChatTestEngine();
        var amount = await chat.AskAsync("wenxi-2024", "How much do I pay?", language: ChatLanguage.English, user: "e1");
        Assert.Contains("380 yuan", amount.Text, StringComparison.Ordinal);
        var phone = await chat.AskAsync("wenxi-2024", "I want a human", language: ChatLanguage.English, user: "e2");
        Assert.Contains("0359-8801801", phone.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Newborn_question_states_the_rule_and_asks_the_birth_date()
    {
        var chat = new ChatTestEngine();
        var ask = await chat.AskAsync("dianjiang-xinmin-2024", "新生儿参保有什么规定");
        Assert.Contains("出生之日起90日内参保", ask.Text, StringComparison.Ordinal);
        Assert.Contains("出生日期", ask.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Typing_english_switches_the_language_for_later_answers()
    {
        var chat = new ChatTestEngine();
        var switched = await chat.AskAsync("wenxi-2024", "English");
        Assert.Contains("I will answer in English", switched.Text, StringComparison.Ordinal);
        var next = await chat.AskAsync("wenxi-2024", "什么时候截止");
        Assert.Contains("collection period", next.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wenxi-2024", "2023-11-15")]
    [InlineData("pengshui-2024", "2023-11-15")]
    [InlineData("dianjiang-xinmin-2024", "2023-11-15")]
    [InlineData("suiping-2025", "2024-10-15")]
    public async Task Every_template_renders_in_every_language(string policyId, string today)
    {
        var chat = new ChatTestEngine();
        foreach (var language in Enum.GetValues<ChatLanguage>())
        {
            foreach (var text in new[] { "交多少钱", "一档二档区别", "截止", "新生儿", "大学生交多少", "哪些人有资助", "怎么交", "怎么参保登记", "信息错了", "能报销什么", "转人工", "等待期", "谢谢", "菜单" })
            {
                var answer = await chat.AskAsync(policyId, text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture), language, user: $"{language}-{text}");
                Assert.False(string.IsNullOrWhiteSpace(answer.Text));
                Assert.DoesNotContain("{{", answer.Text, StringComparison.Ordinal);
                Assert.True(System.Text.Encoding.UTF8.GetByteCount(answer.Text) <= 2048, $"{policyId} {language} '{text}' is longer than a passive reply: {answer.Text}");
            }
        }
    }
}

public sealed class ConversationIsolationTests
{
    [Fact]
    public async Task A_new_question_does_not_inherit_the_previous_answers_category()
    {
        var chat = new ChatTestEngine();
        var dibao = await chat.AskAsync("pengshui-2024", "低保户交多少钱");
        Assert.Contains("38元", dibao.Text, StringComparison.Ordinal);

        var ordinary = await chat.AskAsync("pengshui-2024", "医保交多少钱");
        Assert.Contains("1档380元", ordinary.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("38元，", ordinary.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_amount_question_with_a_date_is_quoted_on_that_date()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "明年3月1号交多少钱");
        Assert.Contains("2024年5月31日", answer.Text, StringComparison.Ordinal);
        Assert.Contains("380元", answer.Text, StringComparison.Ordinal);
    }
}
