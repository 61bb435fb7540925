using WeChatAssist.Server.Chat.Evaluation;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Session 6 of issue #13, in wording written for these tests (not taken from any evaluation split): a late
/// payment's answer quotes the rule its figure comes from, a notice's silence on the last day is said only to whoever
/// asks it, the task tables answer head-counts, a freshman's cover is the rule naming its universities, a group's share is quoted when asked, quoted sentences lose the notice's typesetting spaces, and a month said
/// as done is the one gone by.</summary>
public sealed class LateRulesAndTargetsTests
{
    [Theory]
    [InlineData("pengshui-2024", "2023-11-20", "正月里回来交 交了啥时候能看病报销", "次月1日")]
    [InlineData("dianjiang-xinmin-2024", "2024-07-10", "四月份补交的 要等好久才管用", "满90日")]
    [InlineData("dianjiang-xinmin-2024", "2024-07-10", "现在交为啥比原来贵那么多", "各级财政补助")]
    // No tier said: both tiers' amounts, and the rule behind both.
    [InlineData("pengshui-2024", "2024-07-10", "九月份才去交 咋个要交恁多", "个人全额缴费")]
    [InlineData("dianjiang-xinmin-2024", "2024-07-10", "拖到八月份交是不是要多出钱", "各级财政补助")]
    public async Task A_late_payments_answer_quotes_the_rule_its_figure_comes_from(string policy, string today, string text, string rule)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains(rule, answer.Text, StringComparison.Ordinal);
        Assert.Matches(@"\d+元", answer.Text);
    }

    [Fact]
    public async Task A_month_said_as_paid_is_the_one_gone_by()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "四月份补交的 要等好久才管用", new DateOnly(2024, 7, 10));

        Assert.Contains("2024年4月1日交，待遇从2024年7月1日开始", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task That_the_notice_names_no_last_day_is_said_only_to_whoever_asks_until_when()
    {
        var chat = new ChatTestEngine();
        var today = new DateOnly(2023, 11, 20);

        var cover = await chat.AskAsync("pengshui-2024", "年后交能享受全年待遇不", today);
        var lastDay = await chat.AskAsync("pengshui-2024", "年后交 最晚交到哪天", today);

        Assert.DoesNotContain("没有写明", cover.Text, StringComparison.Ordinal);
        Assert.Contains("通知没有写明最后交费日期", lastDay.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task What_applies_after_the_window_is_said_to_whoever_asks_until_when_not_to_whoever_asks_when_it_opens()
    {
        var chat = new ChatTestEngine();
        var today = new DateOnly(2024, 9, 5);

        var opens = await chat.AskAsync("suiping-2025", "今年从啥时候开始交医保", today);
        var last = await chat.AskAsync("suiping-2025", "最晚哪天交 过了还能补不", today);

        Assert.Contains("2024年9月20日", opens.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("国办发", opens.Text, StringComparison.Ordinal);
        Assert.Contains("国办发〔2024〕38号", last.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wenxi-2024", "这次交的医保是保哪一年的")]
    [InlineData("pengshui-2024", "这回交了 待遇期是从好久到好久")]
    [InlineData("dianjiang-xinmin-2024", "现在交了从哪天用到哪天")]
    [InlineData("wenxi-2024", "这会儿交了能用到年底不")]
    [InlineData("pengshui-2024", "这阵子交了能用到年底不")]
    public async Task Which_year_or_days_the_cover_runs_is_the_quotes_cover_period(string policy, string text)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, new DateOnly(2023, 11, 20));

        // (The quote's words or the notice's own sentence on the cover period.)
        Assert.Matches("待遇从2024年1月1日开始，到2024年12月31日|2024年1月1日至12月31日", answer.Text);
    }

    [Theory]
    [InlineData("suiping-2025", "2025-05-06", "今年医保待遇是从哪天到哪天", "待遇从2025年1月1日到2025年12月31日")]
    [InlineData("dianjiang-xinmin-2024", "2024-11-06", "今年的医保管到啥时候", "待遇从2024年1月1日到2024年12月31日")]
    public async Task The_years_cover_asked_after_the_window_is_said_before_what_the_late_payer_may_do(string policy, string today, string text, string cover)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.StartsWith("集中缴费期内交了的，" + cover, answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pengshui-2024", "2024-05-20", "几月份以后补交就得自己掏财政那一块", "2024年7月1日后参保财政补助资金由个人全额缴费")]
    [InlineData("dianjiang-xinmin-2024", "2024-04-20", "哪天以后交要多出钱", "2024年6月30日后参保缴费的包括个人缴纳费用和各级财政补助")]
    public async Task From_when_a_late_payer_pays_the_fiscal_part_is_the_notices_sentence_stating_it(string policy, string today, string text, string sentence)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Contains(sentence, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whether_cover_starts_at_once_is_the_cover_start_of_the_day_said()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "月初交的 能马上用不", new DateOnly(2024, 5, 10));

        Assert.Contains("2024年5月1日交，待遇从2024年7月31日开始", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("suiping-2025", "2025-09-01", "2026年的医保多少钱", "2026年度的交费标准和时间还没有收录")]
    [InlineData("suiping-2025", "2025-09-01", "明年的医保啥时候交", "2026年度的交费标准和时间还没有收录")]
    [InlineData("pengshui-2024", "2023-11-20", "2023年的医保还能补交不", "2023年度的交费和补交办法不在这份通知里")]
    public async Task Another_benefit_year_named_gets_no_figure_of_the_loaded_one(string policy, string today, string text, string said)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal("year_not_loaded", answer.Template);
        Assert.Contains(said, answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+元|\d{4}年\d{1,2}月\d{1,2}日", answer.Text);
    }

    [Theory]
    [InlineData("wenxi-2024", "2024-01-10", "23年交过 24年的医保现在补交 啥时候能用")]
    [InlineData("pengshui-2024", "2023-11-20", "明年的医保交多少")]
    public async Task The_notices_own_benefit_year_named_is_answered_as_usual(string policy, string today, string text)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        Assert.NotEqual("year_not_loaded", answer.Template);
        Assert.Matches(@"\d+元", answer.Text);
    }

    [Theory]
    [InlineData("suiping-2025", "2024-09-05", "医保啥时候开始交 要交好多钱", "400元")]
    [InlineData("pengshui-2024", "2023-11-20", "医保哪天截止 要交好多钱", "1档380元，2档755元")]
    public async Task An_amount_asked_beside_the_days_is_said_with_them(string policy, string today, string text, string amount)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, DateOnly.Parse(today, System.Globalization.CultureInfo.InvariantCulture));

        // (Read as a deadline question or as an amount question, the answer holds both.)
        Assert.Matches("截止|集中缴费期", answer.Text);
        Assert.Contains(amount, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_day_cover_runs_to_is_not_taken_for_the_day_of_payment()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "现在交还能用到年底不", new DateOnly(2024, 8, 6));

        Assert.DoesNotContain("2024年12月31日已不在", answer.Text, StringComparison.Ordinal);
        Assert.Contains("待遇从2024年11月5日开始", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whether_one_may_still_pay_somewhere_after_the_window_says_the_window_is_over_first()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "都一月份了 还可以去银行交吗", new DateOnly(2025, 1, 5));

        Assert.Contains("2024年12月31日", answer.Text, StringComparison.Ordinal);
        Assert.Contains("已截止", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("suiping-2025", "嵖岈山景区要收够多少人", "嵖岈山风景区4782人")]
    [InlineData("suiping-2025", "嵖岈山镇的任务是多少人", "嵖岈山镇21375人")]
    [InlineData("wenxi-2024", "全县今年要收多少人", "合计319202人")]
    [InlineData("wenxi-2024", "社区那片的任务数", "社区28335人")]
    public async Task A_head_count_of_the_task_is_the_task_tables_row_or_total(string policy, string text, string row)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text);

        Assert.Equal("clause", answer.Template);
        Assert.Contains(row, answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+元", answer.Text);
    }

    [Fact]
    public async Task How_a_task_is_set_is_not_answered_with_its_figure()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "每个乡要收多少人是怎么定的");

        Assert.DoesNotContain("415517", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quoted_sentence_loses_the_notices_typesetting_spaces()
    {
        // 003's notice is typeset "2024 年 1 月 1 日"; on a small phone the quote reads "2024年1月1日".
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "年后交能享受全年待遇不", new DateOnly(2023, 11, 20));

        Assert.Contains("在2024年1月1日至2月29日期间", answer.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("1 月", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dianjiang-xinmin-2024", "娃儿刚考上大学 开学交的医保从哪天起管用")]
    [InlineData("pengshui-2024", "大一的娃儿报到时交的医保 管到啥时候")]
    public async Task A_freshmans_cover_is_the_notices_rule_which_names_the_universities_it_is_for(string policy, string text)
    {
        // Where he studies is not said: the rule's own sentence says it is for 在渝高校 students, so nothing is assumed.
        var answer = await new ChatTestEngine().AskAsync(policy, text, new DateOnly(2023, 9, 6));

        Assert.Equal("clause", answer.Template);
        Assert.Contains("在渝高校", answer.Text, StringComparison.Ordinal);
        Assert.Contains("完成缴费的次日", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_freshmans_amount_still_asks_where_he_studies()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "大一的娃儿交一档好多钱", new DateOnly(2023, 9, 6));

        Assert.Equal("ask_condition", answer.Template);
        Assert.Contains("重庆", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wenxi-2024", "返贫的人给补几成", "90%")]
    [InlineData("pengshui-2024", "残疾证一级的 政府给补好多", "70%")]
    [InlineData("pengshui-2024", "病搞穷了的人家 补助比例是多少", "70%")]
    public async Task A_groups_share_asked_is_its_amount_with_the_notices_sentence_stating_the_share(string policy, string text, string share)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, new DateOnly(2023, 11, 10));

        Assert.StartsWith("quote_", answer.Template, StringComparison.Ordinal);
        Assert.Contains(share, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Who_pays_a_groups_subsidy_is_not_answered_with_its_share()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "特困的人财政补助那部分谁出", new DateOnly(2023, 11, 10));

        Assert.Contains("资助参保资金", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("答：次月 1 日起享受", "次月1日")]
    [InlineData("社保缴费专用POS机", "POS 机")]
    public void An_expected_phrase_is_found_however_it_is_spaced(string answer, string phrase) =>
        Assert.True(ResidentEvaluation.Contains(answer, phrase));
}
