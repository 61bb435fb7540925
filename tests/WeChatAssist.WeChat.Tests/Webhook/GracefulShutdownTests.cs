using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Simulator.Push;
using WeChatAssist.WeChat.Tests.Infrastructure;

namespace WeChatAssist.WeChat.Tests.Webhook;

public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task A_late_answer_still_goes_out_when_the_node_shuts_down_gracefully()
    {
        var account = TestAccounts.Safe();
        var handler = new TestHandler();
        await using var simulator = await TestHost.StartSimulatorAsync();
        var app = await TestHost.StartAppAsync(new Dictionary<string, WeChatAccountOptions> { ["acc"] = account }, simulator, handler,
            new Dictionary<string, string?> { ["WeChat:ReplyBudget"] = "00:00:00.100" });
        handler.Behavior = async (_, ct) =>
        {
            await Task.Delay(1000, ct);
            return new TextReply("answer after shutdown began");
        };

        var push = new WeChatPushSimulator(app.Http);
        var xml = WeChatPushSimulator.TextMessage("gh", "oLate", "q", 77, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal("success", (await push.PushAsync(new Uri(app.Address, "/wechat/acc"), account, xml, true, default)).Body);
        await app.DisposeAsync();

        var call = Assert.Single(simulator.Get<SimulatorCallLog>().Calls("cgi-bin/message/custom/send"));
        Assert.Contains("answer after shutdown began", call.Body, StringComparison.Ordinal);
    }
}
