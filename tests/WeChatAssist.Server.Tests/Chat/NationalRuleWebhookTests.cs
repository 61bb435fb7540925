using System.Security.Cryptography;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>
/// Deadline and late-payment questions through the signed, encrypted webhook where the county notice is silent after
/// its window and the national layer speaks (遂平 2025 under 国办发〔2024〕38号): asked while the window is open, the answer
/// adds what applies after it; asked after it, the deadline answer gives the national waiting period — both with the
/// national citation. A notice with its own late rules, or a year before the layer, never mentions it.
/// </summary>
public sealed class NationalRuleWebhookTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Sqlite", "2024-10-15T10:00:00+08:00", "过了截止日期还能交吗", "2024年12月31日以后交")]
    [InlineData("Postgres", "2024-10-15T10:00:00+08:00", "过了截止日期还能交吗", "2024年12月31日以后交")]
    [InlineData("Sqlite", "2024-10-15T10:00:00+08:00", "晚交了什么时候能报销", "每多断保1年")]
    [InlineData("Postgres", "2024-10-15T10:00:00+08:00", "晚交了什么时候能报销", "每多断保1年")]
    [InlineData("Sqlite", "2025-03-10T10:00:00+08:00", "什么时候截止", "集中缴费期已结束")]
    public async Task A_Suiping_2025_resident_asking_about_paying_late_gets_the_national_waiting_period_with_its_citation(string provider, string now, string question, string expected)
    {
        var reply = await AskAsync(provider, "suiping-2025", now, question);

        Assert.Contains(expected, reply, StringComparison.Ordinal);
        Assert.Contains("固定待遇等待期3个月", reply, StringComparison.Ordinal);
        Assert.Contains("依据：", reply, StringComparison.Ordinal);
        Assert.Contains("国办发〔2024〕38号", reply[reply.IndexOf("依据：", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.DoesNotContain("没有写明过期后能否补交", reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pengshui-2024", "2023-11-15T10:00:00+08:00", "过了截止日期还能交吗")]
    [InlineData("wenxi-2024", "2023-11-15T10:00:00+08:00", "晚交了什么时候能报销")]
    public async Task A_notice_with_its_own_late_rules_or_before_the_national_layer_does_not_mention_it(string policyId, string now, string question)
    {
        var reply = await AskAsync("Sqlite", policyId, now, question);

        Assert.DoesNotContain("国办发〔2024〕38号", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("待遇等待期3个月", reply, StringComparison.Ordinal);
    }

    private async Task<string> AskAsync(string provider, string policyId, string now, string question)
    {
        using var sqlite = new TempSqliteFile();
        var account = new WeChatAccountOptions
        {
            AppId = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true),
            AppSecret = RandomNumberGenerator.GetHexString(32, lowercase: true),
            Token = RandomNumberGenerator.GetHexString(20, lowercase: true),
            EncodingAESKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))[..43],
            PolicyId = policyId,
        };
        var settings = new Dictionary<string, string?>
        {
            ["Clock:Now"] = now,
            ["WeChat:Accounts:county:AppId"] = account.AppId,
            ["WeChat:Accounts:county:AppSecret"] = account.AppSecret,
            ["WeChat:Accounts:county:Token"] = account.Token,
            ["WeChat:Accounts:county:EncodingAESKey"] = account.EncodingAESKey,
            ["WeChat:Accounts:county:PolicyId"] = account.PolicyId,
        };
        await using var server = provider == "Postgres"
            ? ServerFactory.ForPostgres(await postgres.CreateDatabaseAsync(), extra: settings)
            : ServerFactory.ForSqlite(sqlite.ConnectionString, extra: settings);
        var client = server.CreateClient();
        await HealthProbe.WaitForHealthyAsync(client);
        var xml = WeChatPushSimulator.TextMessage("gh_test", "oResident" + RandomNumberGenerator.GetHexString(8), question, msgId: 7, createTime: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var result = await new WeChatPushSimulator(client).PushAsync(new Uri(client.BaseAddress!, "/wechat/county"), account, xml, encrypt: true, CancellationToken.None);
        Assert.Equal(200, result.StatusCode);
        return result.ReplyText ?? "";
    }
}
