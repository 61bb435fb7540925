namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Residents' wordings that point to a clause the notice states in words, written for these tests (not taken
/// from any evaluation split): paying for a relative, what to check before paying, money a cadre kept, which office
/// collects, everyday words for those the notice lists, and benefit levels a notice does not state.</summary>
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

    [Theory]
    [InlineData("pengshui-2024", "组长收了我们的医保钱一直没交上去 咋办", "未缴存入库")]
    [InlineData("dianjiang-xinmin-2024", "有干部乱收医保钱 我该找哪个反映", "镇纪委")]
    public async Task Money_a_cadre_kept_is_answered_by_the_clause_on_misconduct_not_a_payment_record(string policy, string text, string phrase)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text, new DateOnly(2023, 12, 1));

        Assert.Equal("clause", answer.Template);
        Assert.Contains(phrase, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Which_office_collects_the_money_is_the_tax_bureaus_sentence()
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", "到底是哪个部门收医保的钱 医保局吗", new DateOnly(2023, 12, 1));

        Assert.StartsWith("县税务局负责城乡居民基本医疗保险参保征收", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("suiping-2025", "我没单位 一直在县城待业 能参加这个医保不", "城镇非从业居民")]
    [InlineData("dianjiang-xinmin-2024", "台胞在这边住 能买城乡医保吗", "港澳台居民居住证")]
    public async Task An_everyday_word_for_someone_the_notice_lists_finds_that_item(string policy, string text, string item)
    {
        var answer = await new ChatTestEngine().AskAsync(policy, text);

        Assert.Contains(item, answer.Text, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\d+元", answer.Text);
    }

    [Theory]
    [InlineData("住院能报销百分之多少")]
    [InlineData("县医院住院能报好多")]
    public async Task Benefit_levels_a_notice_does_not_state_are_handed_over_not_answered_by_a_sentence_naming_cover(string text)
    {
        // 001 states no benefit levels; its sentence on when late payers' cover starts names 待遇 but refunds nothing.
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", text, new DateOnly(2024, 5, 10));

        Assert.Equal("topic_not_stated", answer.Template);
        Assert.DoesNotMatch(@"\d{4}年\d{1,2}月\d{1,2}日|\d+元", answer.Text);
    }

    [Fact]
    public async Task A_benefit_level_asked_is_not_answered_by_a_sentence_that_only_names_refunds()
    {
        // 003 states no benefit levels; its misconduct clause says who bears what 参保人不能报销, no level.
        var level = await new ChatTestEngine().AskAsync("pengshui-2024", "住院报销多少", new DateOnly(2023, 11, 20));
        var misconduct = await new ChatTestEngine().AskAsync("pengshui-2024", "医保钱给了组长他没交上去 看病报不了哪个负责", new DateOnly(2024, 4, 20));

        Assert.Equal("topic_not_stated", level.Template);
        Assert.Contains("责任人", misconduct.Text, StringComparison.Ordinal);
    }

    // 004's attachments are forms: what their columns ask (姓名、身份证号码务必正确) and how often they go (月/季度) are
    // the notice's words too.
    [Theory]
    [InlineData("报困难人口名单的时候身份证号码有啥要求", "务必正确")]
    [InlineData("动态调整名单是一个月报一次还是一个季度报一次", "月/季度")]
    public async Task What_an_attachments_form_asks_is_answered_from_the_form(string text, string phrase)
    {
        var answer = await new ChatTestEngine().AskAsync("wenxi-2024", text, new DateOnly(2023, 11, 20));

        Assert.Contains(phrase, answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task People_away_working_are_the_notices_外出人员()
    {
        var answer = await new ChatTestEngine().AskAsync("dianjiang-xinmin-2024", "村里好多年轻人出去打工了 村上咋个搞", new DateOnly(2023, 11, 20));

        Assert.Contains("外出人员", answer.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("医保的交费标准是谁定的")]
    [InlineData("这个标准是县上定的还是市里定的")]
    public async Task Who_sets_the_standard_is_the_sentence_naming_who_set_it(string text)
    {
        var answer = await new ChatTestEngine().AskAsync("pengshui-2024", text, new DateOnly(2023, 11, 20));

        Assert.Contains("重庆市确定", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbered_items_joined_say_the_words_introducing_them_once()
    {
        var answer = await new ChatTestEngine().AskAsync("suiping-2025", "低保户是哪个部门认定的", new DateOnly(2024, 10, 20));

        Assert.Contains("民政局认定的低保对象", answer.Text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(answer.Text, "县财政定额资助对象"));
    }
}
