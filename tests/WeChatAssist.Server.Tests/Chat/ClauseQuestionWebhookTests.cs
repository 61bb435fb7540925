using System.Security.Cryptography;
using System.Text.RegularExpressions;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Questions each notice answers in words (who may pay for someone, cash, what the township's task is, which
/// office decides, why payment pauses), pushed signed and encrypted to /wechat/{account} on the real server: the
/// answer is the clause's own sentence with its numbering, never "not stated"; another county's question is declined
/// without an amount. Written from the notices in /work/shared/seeds/, not taken from the resident set.</summary>
public sealed partial class ClauseQuestionWebhookTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    [Theory]
    // 001 四、（二）3.: someone living elsewhere may have another person pay at home.
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "我长期在外面住 可以请亲戚在老家帮我交费吗", "委托他人", "四、（二）")]
    // 001 五、（三）: villages must not refuse cash.
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "村里收不收现金", "现金", "五、（三）")]
    // 002 附件2: a township's collection task, from the attachment's table.
    [InlineData("suiping-2025", "2024-10-15", "车站街道的征缴任务有多少人", "25319", "附件2")]
    // 002 一、（二）: which office decides severe disability.
    [InlineData("suiping-2025", "2024-10-15", "重度残疾是谁来认定", "残联认定", "一、（二）")]
    // 003 三、: which office decides the family-planning group.
    [InlineData("pengshui-2024", "2023-11-15", "奖扶对象是哪个部门认定的", "县卫生健康委", "三")]
    // 003 六、（六）: the insurance belongs where the household is registered and may not be moved at will.
    [InlineData("pengshui-2024", "2023-11-15", "我想把参保关系迁到隔壁乡镇行不行", "随意转移", "六、（六）")]
    // The same clause asked by its rule: the sentence comes with the heading it sits under ("一是严禁随意转移参保关系。").
    [InlineData("pengshui-2024", "2023-11-15", "参保关系能不能随便转到别的乡镇", "严禁随意转移参保关系", "六、（六）")]
    // A day asked of the groups' list (a department's task) is the clause naming it, not the groups' amounts.
    [InlineData("suiping-2025", "2024-10-16", "资助对象名单报到哪天为止", "2024年10月31日", "一、（三）")]
    // The age a group starts at, asked as the rule: the clause stating it, not a question for one person's birth date.
    [InlineData("wenxi-2024", "2023-11-15", "低收入家庭的老人要多少岁才有补贴", "六十周岁以上", "二、（八）")]
    // A group named but nothing computed asked, and a clause holding the words: the clause, not the group's amount.
    [InlineData("dianjiang-xinmin-2024", "2023-10-14", "大学生医保为什么不按学年交了", "从学年调整为自然年度", "二、（二）")]
    // 004 三、: payment pauses from the 26th each month for the tax office's reconciliation.
    [InlineData("wenxi-2024", "2023-10-10", "为什么每月月底办不了缴费", "业务对账", "三")]
    // 004 五、（一）: where a first registration is made.
    [InlineData("wenxi-2024", "2023-10-10", "头一回参保要到哪里办登记", "便民服务中心", "五、（一）")]
    // 001 五、（一）: the names the notice gives (restored with the clause's full words).
    [InlineData("dianjiang-xinmin-2024", "2023-11-15", "镇上管医保的办公室主任是哪个", "贺兵", "五、（一）")]
    // 003 四（第三段）: where a group's subsidy comes from, though the group is named (the quote would not say).
    [InlineData("pengshui-2024", "2023-11-15", "五保户的参保补助钱是从哪里来的", "医疗救助资金", "四（第三段）")]
    // 004 六、（二）10.: banks' 绿色通道 for those without a smartphone, though the classifier reads it as off-topic.
    [InlineData("wenxi-2024", "2023-11-15", "家里老人没有智能手机 去银行交能给个凭证不", "绿色通道", "六、（二）10")]
    // 004 附件2: the note on who fills in the hardship list (the attachment's full words).
    [InlineData("wenxi-2024", "2023-11-15", "困难人口名单是哪几个单位填的", "县残联填写", "附件2")]
    public async Task A_question_the_notice_answers_in_words_gets_the_clause_and_its_numbering(string policyId, string day, string question, string phrase, string numbering)
    {
        var reply = await AskAsync(policyId, day, question);

        Assert.True(reply.Contains(phrase, StringComparison.Ordinal), $"'{phrase}' not in: {reply}");
        Assert.True(reply.Contains(numbering, StringComparison.Ordinal), $"'{numbering}' not in: {reply}");
        Assert.DoesNotContain("没有写明", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("没太听懂", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_numbered_list_is_said_whole_for_the_resident_to_see_which_item_is_his()
    {
        // 004 五、（一）: 1. 本县户籍 bring 户口簿; 2. 非本县户籍 bring 居住证.
        var reply = await AskAsync("wenxi-2024", "2023-10-10", "头回参保得拿啥证件");

        Assert.Contains("户口簿", reply, StringComparison.Ordinal);
        Assert.Contains("居住证", reply, StringComparison.Ordinal);
        Assert.Contains("五、（一）", reply, StringComparison.Ordinal);
    }

    [Theory]
    // Another county of the same province, asked of 遂平县 and 闻喜县: declined, no amount.
    [InlineData("suiping-2025", "2024-10-15", "上蔡县今年居民医保交多少钱")]
    [InlineData("wenxi-2024", "2023-10-10", "临猗县的医保一年交多少")]
    public async Task Another_countys_question_is_declined_without_an_amount(string policyId, string day, string question)
    {
        var reply = await AskAsync(policyId, day, question);

        Assert.Contains("答不了", reply, StringComparison.Ordinal);
        Assert.DoesNotMatch(Amount(), reply);
    }

    private async Task<string> AskAsync(string policyId, string day, string question)
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

        var xml = WeChatPushSimulator.TextMessage("gh_test", "oResident" + RandomNumberGenerator.GetHexString(8), question, msgId: 11, createTime: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var result = await new WeChatPushSimulator(client).PushAsync(new Uri(client.BaseAddress!, "/wechat/county"), account, xml, encrypt: true, CancellationToken.None);
        Assert.Equal(200, result.StatusCode);
        Assert.NotNull(result.ReplyText);
        return result.ReplyText;
    }

    [GeneratedRegex(@"\d+(\.\d+)?元")]
    private static partial Regex Amount();
}
