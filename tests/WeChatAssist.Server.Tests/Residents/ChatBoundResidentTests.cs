using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>A follower who bound themself in the mini-program gets personal answers from the chatbot on the official account.</summary>
public sealed class ChatBoundResidentTests(SqliteResidentServerFixture fixture) : IClassFixture<SqliteResidentServerFixture>
{
    private ResidentServer Server => fixture.Server;

    [Fact]
    public async Task A_bound_unpaid_resident_asking_whether_they_paid_is_told_by_masked_name_that_nothing_is_recorded_yet()
    {
        var openId = TestIds.OpenId();
        var id = TestIds.Next(birth: "19650412");
        await Server.SeedAsync("赵六", id, categories: ["dibao"]);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await Server.BindAsync(await Server.SessionAsync(openId), "赵六", id)).Status);

        var reply = await AskAsync(openId, "我交了没有");

        Assert.Contains("赵*", reply, StringComparison.Ordinal);
        Assert.Contains("还没有查到您2024年度的交费记录", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("赵六", reply, StringComparison.Ordinal);
        Assert.DoesNotContain(id, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bound_resident_who_paid_is_told_the_day_the_registry_recorded()
    {
        var openId = TestIds.OpenId();
        var id = TestIds.Next(birth: "19801102");
        await Server.SeedAsync("钱七", id, paidYear: 2024);
        Assert.Equal(System.Net.HttpStatusCode.Created, (await Server.BindAsync(await Server.SessionAsync(openId), "钱七", id)).Status);

        var reply = await AskAsync(openId, "我交了没有");

        Assert.Contains("钱*，您已于2023年10月20日交费", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_follower_who_bound_nobody_is_told_how_to_bind()
    {
        var reply = await AskAsync(TestIds.OpenId(), "我交了没有");

        Assert.Contains("还没有绑定参保人", reply, StringComparison.Ordinal);
    }

    private async Task<string> AskAsync(string openId, string text)
    {
        var account = Server.Services.GetRequiredService<IOptionsMonitor<WeChatOptions>>().CurrentValue.Accounts[ResidentServer.Account];
        var xml = WeChatPushSimulator.TextMessage("gh_pengshui", openId, text, Random.Shared.NextInt64(1, long.MaxValue / 2), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var result = await new WeChatPushSimulator(Server.Client).PushAsync(new Uri(Server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), account, xml, encrypt: true, CancellationToken.None);
        Assert.Equal(200, result.StatusCode);
        Assert.True(result.ReplySignatureValid, result.Body);
        return result.ReplyText ?? throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"no passive reply: {result.Body}"));
    }
}
