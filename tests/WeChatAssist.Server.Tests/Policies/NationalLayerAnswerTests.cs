using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Policies;

/// <summary>
/// 遂平 2025's notice says nothing about paying after 31 December 2024; the national layer it inherits (国办发〔2024〕38号)
/// sets a waiting period. A late payer gets that rule with its citation — in the quote API and in the chat, through the
/// real HTTP API and the signed, encrypted webhook, on both providers — instead of "not stated", and is handed to the
/// bureau for what the national document leaves to local rules.
/// </summary>
public sealed class NationalLayerAnswerTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_late_payer_in_Suiping_2025_gets_the_national_waiting_period_with_its_citation_in_the_quote_API_and_the_chat(string provider)
    {
        using var sqlite = new TempSqliteFile();
        var account = new WeChatAccountOptions
        {
            AppId = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true),
            AppSecret = RandomNumberGenerator.GetHexString(32, lowercase: true),
            Token = RandomNumberGenerator.GetHexString(20, lowercase: true),
            EncodingAESKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))[..43],
            PolicyId = "suiping-2025",
        };
        var settings = new Dictionary<string, string?>
        {
            ["Clock:Now"] = "2025-03-10T10:00:00+08:00",
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

        // The quote API: 422 (no amount can be given) naming the national rule, its clauses and whom to ask.
        using var response = await client.GetAsync(new Uri("/api/v1/policies/suiping-2025/quote?tier=1", UriKind.Relative));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("nationalRule", body.GetProperty("outcome").GetString());
        var detail = body.GetProperty("detail").GetString()!;
        Assert.Contains("国办发〔2024〕38号", detail, StringComparison.Ordinal);
        Assert.Contains("固定待遇等待期3个月", detail, StringComparison.Ordinal);
        Assert.Contains("医保窗口", detail, StringComparison.Ordinal);
        var deferring = body.GetProperty("deferringClause");
        Assert.Equal("国办发〔2024〕38号", deferring.GetProperty("documentNumber").GetString());
        Assert.Contains("等待期具体标准由各省份根据自身情况确定", deferring.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains(body.GetProperty("citations").EnumerateArray(), c => c.GetProperty("clauseId").GetString() == "waiting" && c.GetProperty("text").GetString()!.Contains("每多断保1年", StringComparison.Ordinal));

        // The chat: the resident asks on 10 March 2025 whether he can still pay.
        var xml = WeChatPushSimulator.TextMessage("gh_test", "oResident" + RandomNumberGenerator.GetHexString(8), "现在还能补交吗", msgId: 11, createTime: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var result = await new WeChatPushSimulator(client).PushAsync(new Uri(client.BaseAddress!, "/wechat/county"), account, xml, encrypt: true, CancellationToken.None);
        Assert.Equal(200, result.StatusCode);
        var reply = result.ReplyText;
        Assert.Contains("国办发〔2024〕38号", reply, StringComparison.Ordinal);
        Assert.Contains("固定待遇等待期3个月", reply, StringComparison.Ordinal);
        Assert.Contains("具体标准由各省份确定", reply, StringComparison.Ordinal);
        Assert.Contains("遂平县", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("没有写明这种情况", reply, StringComparison.Ordinal);
    }
}
