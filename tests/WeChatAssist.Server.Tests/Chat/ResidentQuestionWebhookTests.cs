using System.Security.Cryptography;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Residents' everyday questions of every class of issue #13, pushed signed and encrypted to /wechat/{account}
/// on the real server with the business date pinned: group + tier, everyday group names, periods, clause answers,
/// households, the past-campaign year and clarification.</summary>
public sealed class ResidentQuestionWebhookTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    [Theory]
    // A group and a tier together: the amount for both, not a question back.
    [InlineData("pengshui-2024", "2023-11-15", "五保户交二档要多少", "特困人员", "375元")]
    // Both tiers and a difference asked: both tiers of the group, and what the second costs more.
    [InlineData("pengshui-2024", "2023-11-15", "低保户一档和二档差多少", "1档38元，2档375元", "337元")]
    [InlineData("pengshui-2024", "2023-11-15", "一档跟二档一个人相差好多", "375元", "1档380元")]
    // Everyday names of the notices' groups.
    [InlineData("pengshui-2024", "2023-11-15", "烈士家属交医保多少钱", "重点优抚对象", "0元")]
    [InlineData("pengshui-2024", "2023-11-15", "特扶对象交一档多少", "计生残抚", "0元")]
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "在重庆读研究生交一档多少", "350元", "2024年度")]
    [InlineData("wenxi-2024", "2023-11-15", "60多岁的低收入老人交多少", "低收入家庭", "190元")]
    // Periods, not days: the regime of the period.
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "过了六月再交一档要多少", "1020元", "2024年7月1日")]
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "二月份交的话什么时候开始报销", "2024年3月1日", "二、（四）")]
    // Questions the notice answers in words.
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "可以交现金吗", "现金", "五、（三）")]
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "我在外地打工能让别人帮我交吗", "委托他人", "四、（二）")]
    [InlineData("wenxi-2024", "2023-11-15", "刚生的娃参保要带什么", "户口簿", "五、（一）")]
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "今年什么时候停止交费", "2024年9月30日", "二、（四）")]
    // Households: one line per person and the total.
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "我们家五口人都交一档一共多少", "第5人", "1900元")]
    [InlineData("pengshui-2024", "2023-11-15", "我和老伴都是低保交一档多少", "第2人", "76元")]
    // A household told apart without commas, or by who is not in the group: one line per person, never one group's total.
    [InlineData("pengshui-2024", "2023-11-15", "屋头四个人两个交一档两个交二档 总共好多", "第4人", "2270元")]
    [InlineData("pengshui-2024", "2023-11-15", "我是低保 老伴不是 两个人交一档好多钱", "第2人", "418元")]
    [InlineData("pengshui-2024", "2023-11-15", "家里三个人 我和老汉是五保 孙子是普通的 交一档一共好多", "第3人", "合计：380元")]
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "我们老两口加上在重庆读大学的孙子 三个人都交一档一共多少", "第3人：1档350元", "1110元")]
    [InlineData("suiping-2025", "2024-10-15", "俺家是独生子女户 俺两口子都交 一共多少", "第2人", "800元")]
    [InlineData("suiping-2025", "2024-10-15", "一家三口 就我是五保 其余两个普通 总共交多少", "第3人", "800元")]
    [InlineData("suiping-2025", "2024-10-15", "我是独生子女户 就我一个人交 多少钱", "计生户", "个人交400元")]
    // A subsidy that leaves the resident nothing to bear is named in the notice's words (遂平 一、（一） 县财政全额资助).
    [InlineData("suiping-2025", "2024-10-15", "脱贫户交医保要掏多少", "全额资助400元", "事后返还")]
    [InlineData("suiping-2025", "2024-10-15", "低保户交医保要掏多少", "资助90元", "310元")]
    // The notice's own name for its college group is that group, its scope said; a child "at university" is still asked.
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "大学生二档好多钱", "725元", "在重庆的高校读书的")]
    // A group set against any resident: both amounts from the engine, and the gap.
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "大学生交一档比普通人少好多", "普通居民1档个人交380元", "少交30元")]
    [InlineData("pengshui-2024", "2023-11-15", "低保户交一档比一般人少多少", "38元", "少交342元")]
    [InlineData("dianjiang-xinmin-2024", "2023-12-20", "娃在重庆读大学 跟我们大人交的一样不", "普通居民个人交：1档380元", "1档350元")]
    // A baby's last day counts from the birth: asked, with the rule; how long one has is the rule itself, with the
    // amounts and no cover start (a late payer's would not be the baby's).
    [InlineData("dianjiang-xinmin-2024", "2024-04-20", "刚生的娃儿要交医保 最迟啥时候", "出生之日起90日内", "出生日期")]
    [InlineData("dianjiang-xinmin-2024", "2024-04-20", "刚生的娃儿要好久之内去办医保", "90日内", "1档380元")]
    // A pair said to be two is two people; the one insured at work pays nothing here.
    [InlineData("wenxi-2024", "2023-12-01", "我在单位有职工医保 家里爹娘俩交居民医保 交多少", "第2人", "760元")]
    // Enrolling in Chongqing is the notice's freshman rule: cover from the day after payment.
    [InlineData("dianjiang-xinmin-2024", "2023-09-07", "闺女9月5号到重庆入学 在学校交了医保 哪天起能用", "2023年9月6日", "350元")]
    // What the government adds, asked with words between ("国家那头还给贴钱不"): the year's fiscal subsidy and the total.
    [InlineData("suiping-2025", "2024-11-03", "我自己掏四百 国家那头还给贴钱不", "财政补助670元", "1070元")]
    // After a payment said, a day asked as a day of use is not the payment day: when cover starts for today's payment.
    [InlineData("suiping-2025", "2024-12-27", "这两天交了 明年1月1号能看病报销不", "待遇从2025年1月1日开始", "400元")]
    // From when a baby's days count is the rule itself, not a question for the birth date.
    [InlineData("dianjiang-xinmin-2024", "2024-06-10", "新生儿那90天从啥时候开始算", "出生之日起90日内", "二、（三）")]
    // A baby to be enrolled on a day past what is open: the newborn rule with it, in the notice's words.
    [InlineData("dianjiang-xinmin-2024", "2024-03-15", "3月5号生的娃儿 要不要等到年底再交", "出生之日起90日内", "2024年12月31日")]
    // The second half of the year said, and whether the government's part still comes: that day's quote and the
    // notice's sentence that the late payer loses the subsidy.
    [InlineData("dianjiang-xinmin-2024", "2024-07-15", "过了半年再交 政府是不是就不补贴了", "1020元", "不享受财政补助")]
    [InlineData("pengshui-2024", "2024-07-03", "下半年才去交医保 政府那部分补贴还有没有", "1020元", "个人全额缴费")]
    // Until when a student pays is the deadline for him, not a clause on students' enrolment.
    [InlineData("suiping-2025", "2024-12-05", "闺女今年考上大学 学生医保最迟交到哪天", "2024年12月31日", "集中缴费期")]
    // Which people are subsidised: the whole list computed from the notice's, led by its own count of groups.
    [InlineData("pengshui-2024", "2023-10-22", "哪些人交医保有补助", "15类特殊人员", "城乡最低生活保障人员")]
    [InlineData("suiping-2025", "2024-10-22", "哪些人交医保有补助", "低保对象", "计生户")]
    // Whether one can still pay is the late regime's answer, not a clause residents' words happen to resemble.
    [InlineData("dianjiang-xinmin-2024", "2024-04-02", "上回忘了交 现在还补得上不", "2024年9月30日", "等待期90天")]
    // After the campaign: the collection under way is for benefit year 2027.
    [InlineData("dianjiang-xinmin-2024", "2026-12-07", "今年交多少钱", "2027年度", "2024年度")]
    // Membership decided by a condition the resident did not give: asked, never assumed.
    [InlineData("suiping-2025", "2024-10-15", "我是残疾人交多少", "几级", "残疾")]
    [InlineData("pengshui-2024", "2023-11-15", "我家娃读大学 交一档好多", "在渝高校", "请问")]
    // Whether the resident himself is subsidised turns on the condition: asked, not a clause listing the groups.
    [InlineData("suiping-2025", "2024-10-15", "我是残疾人 交医保能少交不", "几级", "残疾")]
    [InlineData("pengshui-2024", "2023-11-15", "我是脱贫户 有资助没得", "请问属于哪一种", "脱贫不稳定户")]
    // Late payment open only to last year's payers (004 五、（二）): that regime's figures with its condition, not a question.
    [InlineData("wenxi-2024", "2024-02-05", "过了截止日期还能补交吗 交了多久能用", "只有上年度参保并缴费的居民可以补缴", "2024年5月6日")]
    // Weekdays: a day that takes no payment (004: 26th to month end) moves to the next one that does.
    [InlineData("wenxi-2024", "2023-11-21", "下周一能去交吗", "2023年11月27日不办理缴费", "2023年12月1日")]
    [InlineData("wenxi-2024", "2023-10-17", "这礼拜五去交行不", "2023年10月20日", "380元")]
    // A month so far: its first day and today.
    [InlineData("dianjiang-xinmin-2024", "2024-07-20", "七月份交的 哪天开始能报", "2024年9月30日", "2024年10月19日")]
    // A birthday only this year has.
    [InlineData("dianjiang-xinmin-2024", "2024-03-10", "儿子2月29号出生的 最晚哪天参保", "2024年5月29日", "二、（三）")]
    // Households: the subsidy and how it reaches them; the subsidy asked without a tier, per tier.
    [InlineData("suiping-2025", "2024-10-15", "我家三口都是脱贫户 一共先交多少", "1200元", "先正常缴费")]
    [InlineData("pengshui-2024", "2023-11-15", "低保户政府给补多少", "资助342元", "资助380元")]
    // Group words: a child meets 004's minor condition; risk not cleared; a newborn where the notice has no newborn rule.
    [InlineData("wenxi-2024", "2023-11-15", "低收入家庭的娃上初中 交多少", "190元", "二、（八）")]
    [InlineData("suiping-2025", "2024-10-15", "监测户风险没消掉 交多少钱", "0元", "监测对象")]
    [InlineData("suiping-2025", "2024-10-15", "娃刚出生 医保交多少钱", "400元", "2025年度")]
    // 002 has no rule of its own for university students: they pay the county's one standard.
    [InlineData("suiping-2025", "2024-10-15", "孩子在外省读大学 医保交多少钱", "400元", "2025年度")]
    // 建档立卡 where the notice also has 返贫致贫 and monitored groups: asked.
    [InlineData("suiping-2025", "2024-10-15", "建档立卡贫困户医保交多少钱", "请问", "脱贫")]
    // Another county's contribution: declined.
    [InlineData("pengshui-2024", "2023-11-15", "黔江区的医保交多少钱", "答不了", "彭水")]
    // Another scheme with tiers of its own: a tier does not bring it in scope.
    [InlineData("pengshui-2024", "2023-11-15", "城乡居民养老保险一档好多钱", "答不了", "彭水")]
    // Other services residents confuse with this one: declined; joining before the baby's 户口 is this scheme's.
    [InlineData("pengshui-2024", "2023-11-15", "今年出生的孩子怎么上户口", "答不了", "彭水")]
    [InlineData("wenxi-2024", "2023-11-15", "计生家庭养老补贴怎么领", "答不了", "闻喜")]
    // Days said by festival or lunar date: 腊月二十八 is 7 February 2024, a February payment is covered from 1 March.
    [InlineData("dianjiang-xinmin-2024", "2024-01-20", "腊月二十八交的 哪天开始能报", "2024年2月7日", "2024年3月1日")]
    [InlineData("dianjiang-xinmin-2024", "2024-01-05", "元旦那天生的宝宝 最迟哪天要参保", "2024年3月31日", "二、（三）")]
    // When cover starts and ends, not the window.
    [InlineData("pengshui-2024", "2023-11-19", "年前交了的 明年几号开始管", "2024年1月1日", "2024年12月31日")]
    // A household's total with one member described: the rest pay as everyone.
    [InlineData("suiping-2025", "2024-10-20", "家里五口人 我妈吃低保 一共交多少", "第5人", "1910元")]
    [InlineData("wenxi-2024", "2023-11-15", "俺家是低收入家庭 爷爷70 奶奶68 我跟媳妇四十多 俩娃上初中 一共多少", "第6人", "1520元")]
    // A group's own clause under its amount; a deferred subsidy quoted; a refunded subsidy's net.
    [InlineData("suiping-2025", "2024-10-16", "吃低保的医保县里管不管", "310元", "民政局认定的低保对象")]
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "低保户交多少", "相关文件", "低保对象")]
    [InlineData("suiping-2025", "2024-10-28", "重度残疾人 补完了最后自己落多少钱", "400元", "实际负担310元")]
    // After 001's last late day: until when late payment ran.
    [InlineData("dianjiang-xinmin-2024", "2024-10-08", "现在十月份了还补交得到不", "2024年9月30日", "已经过了")]
    public async Task Resident_question_gets_an_answer_from_everything_it_carries(string policyId, string day, string question, string expected, string expectedToo)
    {
        var account = new WeChatAccountOptions
        {
            AppId = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true),
            AppSecret = RandomNumberGenerator.GetHexString(32, lowercase: true),
            Token = RandomNumberGenerator.GetHexString(20, lowercase: true),
            EncodingAESKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))[..43],
            PolicyId = policyId,
        };
        await using var server = ServerFactory.ForSqlite(_file.ConnectionString, extra: new Dictionary<string, string?>
        {
            ["Clock:Now"] = day + "T10:00:00+08:00",
            ["WeChat:Accounts:county:AppId"] = account.AppId,
            ["WeChat:Accounts:county:AppSecret"] = account.AppSecret,
            ["WeChat:Accounts:county:Token"] = account.Token,
            ["WeChat:Accounts:county:EncodingAESKey"] = account.EncodingAESKey,
            ["WeChat:Accounts:county:PolicyId"] = account.PolicyId,
        });
        var client = server.CreateClient();
        await HealthProbe.WaitForHealthyAsync(client);

        var xml = WeChatPushSimulator.TextMessage("gh_test", "oResident" + RandomNumberGenerator.GetHexString(8), question, msgId: 7, createTime: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var result = await new WeChatPushSimulator(client).PushAsync(new Uri(client.BaseAddress!, "/wechat/county"), account, xml, encrypt: true, CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
        Assert.Contains(expected, result.ReplyText, StringComparison.Ordinal);
        Assert.Contains(expectedToo, result.ReplyText, StringComparison.Ordinal);
        // Never the classifier's numbered menu of two questions instead of the answer.
        Assert.DoesNotContain("您是想问", result.ReplyText, StringComparison.Ordinal);
    }
}
