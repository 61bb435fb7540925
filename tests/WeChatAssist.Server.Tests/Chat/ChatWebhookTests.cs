using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Chat;

/// <summary>Signed, encrypted WeChat pushes to the real server with the business date pinned inside each campaign.</summary>
public sealed class ChatWebhookTests : IDisposable
{
    private readonly TempSqliteFile _file = new();

    public void Dispose() => _file.Dispose();

    private static WeChatAccountOptions Account(string policyId) => new()
    {
        AppId = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true),
        AppSecret = RandomNumberGenerator.GetHexString(32, lowercase: true),
        Token = RandomNumberGenerator.GetHexString(20, lowercase: true),
        EncodingAESKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))[..43],
        PolicyId = policyId,
    };

    [Theory]
    [InlineData("wenxi-2024", "2023-11-15T10:00:00+08:00", "低保户交多少钱", "76元", "2023年12月25日")]
    [InlineData("pengshui-2024", "2023-11-15T10:00:00+08:00", "医保一年交多少钱", "380元", "755元")]
    [InlineData("suiping-2025", "2024-10-15T10:00:00+08:00", "什么时候截止", "2024年12月31日", "遂平县")]
    [InlineData("dianjiang-xinmin-2024", "2024-03-01T10:00:00+08:00", "现在补交什么时候能用", "2024年5月31日", "垫新民府发〔2023〕93号")]
    public async Task Signed_text_message_gets_the_policy_answer(string policyId, string now, string question, string expected, string expectedToo)
    {
        var account = Account(policyId);
        await using var server = ServerFactory.ForSqlite(_file.ConnectionString, extra: new Dictionary<string, string?>
        {
            ["Clock:Now"] = now,
            ["WeChat:Accounts:county:AppId"] = account.AppId,
            ["WeChat:Accounts:county:AppSecret"] = account.AppSecret,
            ["WeChat:Accounts:county:Token"] = account.Token,
            ["WeChat:Accounts:county:EncodingAESKey"] = account.EncodingAESKey,
            ["WeChat:Accounts:county:PolicyId"] = account.PolicyId,
        });
        var client = server.CreateClient();
        await HealthProbe.WaitForHealthyAsync(client);

        var xml = WeChatPushSimulator.TextMessage("gh_test", "oResident1", question, msgId: 42, createTime: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var result = await new WeChatPushSimulator(client).PushAsync(new Uri(client.BaseAddress!, "/wechat/county"), account, xml, encrypt: true, CancellationToken.None);

        Assert.Equal(200, result.StatusCode);
        Assert.Contains(expected, result.ReplyText, StringComparison.Ordinal);
        Assert.Contains(expectedToo, result.ReplyText, StringComparison.Ordinal);

        // The dialogue state went through the database (schema version 4).
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection(_file.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM chat_dialogue_state WHERE open_id = 'oResident1'";
        Assert.Equal(1L, await command.ExecuteScalarAsync());
    }
}
