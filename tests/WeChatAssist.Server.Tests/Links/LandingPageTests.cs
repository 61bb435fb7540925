using WeChatAssist.Policy;
using WeChatAssist.Server.Links;

namespace WeChatAssist.Server.Tests.Links;

/// <summary>The landing page, poster and group text for each of the four notices, straight from the templates and
/// the policy engine: amounts per tier, the window, today's payability, 004's monthly stop, stated channels.</summary>
public sealed class LandingPageTests
{
    private static readonly PolicyCatalog Catalog = PolicyCatalog.LoadShipped();
    private static readonly LinkTemplates Templates = LinkTemplates.Load(Path.Combine(AppContext.BaseDirectory, LinkTemplates.Folder));

    public static TheoryData<string, string> Counties => new()
    {
        { "dianjiang-xinmin-2024", "2023-11-15" },
        { "suiping-2025", "2024-10-08" },
        { "pengshui-2024", "2023-11-15" },
        { "wenxi-2024", "2023-11-15" },
    };

    [Theory]
    [MemberData(nameof(Counties))]
    public void The_landing_page_shows_each_notice_own_figures(string policyId, string day)
    {
        var policy = Catalog.Get(policyId);
        var today = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var html = Templates.Landing(Model(policy, today, "甲村"));

        foreach (var tier in policy.Tiers)
        {
            Assert.Contains(PolicyFormat.Yuan(tier.IndividualFen), html, StringComparison.Ordinal);
        }

        Assert.Equal(policy.Tiers.Count == 1, html.Contains("统一标准", StringComparison.Ordinal));
        Assert.Contains($"集中缴费期：{PolicyFormat.Date(policy.CollectionWindow.From)}至{PolicyFormat.Date(policy.CollectionWindow.To)}", html, StringComparison.Ordinal);
        Assert.Equal(policy.NoPaymentFromDay is not null, html.Contains($"每月{policy.NoPaymentFromDay}日至月底不办理缴费", StringComparison.Ordinal));
        Assert.Equal(!policy.PaymentChannelsStated, html.Contains("通知没有列出缴费渠道", StringComparison.Ordinal));
        Assert.All(policy.PaymentChannels, c => Assert.Contains(c.Name, html, StringComparison.Ordinal));
        Assert.Contains(policy.IsPayable(today) ? "今天可以缴费" : "今天不办理缴费", html, StringComparison.Ordinal);
        Assert.Contains(policy.DocumentNumber, html, StringComparison.Ordinal);
    }

    [Fact]
    public void On_wenxi_monthly_stop_days_the_page_says_payment_is_closed_today_and_names_the_next_payable_day()
    {
        var policy = Catalog.Get("wenxi-2024");
        var today = new DateOnly(2023, 11, 27);
        var next = policy.Quote(ResidentFacts.Ordinary, today).NextPayableDate!.Value;

        var html = Templates.Landing(Model(policy, today, "甲村"));

        Assert.False(policy.IsPayable(today));
        Assert.Contains($"今天不办理缴费，最近可缴费日：{PolicyFormat.Date(next)}", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_escaped_and_a_missing_mini_program_link_falls_back_to_words()
    {
        var html = Templates.Landing(Model(Catalog.Get("pengshui-2024"), new DateOnly(2023, 11, 15), "<script>alert(1)</script>"));

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("小程序链接暂时无法生成", html, StringComparison.Ordinal);
        Assert.DoesNotContain("follow-qr", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Counties))]
    public void The_group_text_is_one_short_paragraph_with_the_link(string policyId, string day)
    {
        var policy = Catalog.Get(policyId);
        var model = Model(policy, DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), "甲村");

        var text = Templates.Share(model);

        Assert.DoesNotContain('\n', text);
        Assert.EndsWith(model.LandingUrl, text, StringComparison.Ordinal);
        Assert.Contains(PolicyFormat.Yuan(policy.Tiers[0].IndividualFen), text, StringComparison.Ordinal);
        Assert.True(text.Length <= 300, $"{text.Length} characters: {text}");
        Assert.Equal(model.DeadlineBeyondWindow, text.Contains("最晚" + model.Deadline, StringComparison.Ordinal));
        Assert.Equal(1, CountOf(text, model.WindowTo));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    private static LinkPageModel Model(InsurancePolicy policy, DateOnly today, string village) =>
        LinkPageModel.Create(
            new ShareLink("abcdefgh", policy.Id, "某镇", village, "cadre", DateTimeOffset.UnixEpoch, null, null, null),
            policy,
            today,
            "https://example.test/s/abcdefgh",
            miniProgramUrl: null,
            followQrPath: null);
}
