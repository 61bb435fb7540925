using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Simulator.Chat;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.WeChat.Simulator.Tests;

/// <summary>One application hosting the webhook, its own simulator and the chat page, as <c>dotnet run</c> does in Development.</summary>
public sealed class ChatPageTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string?> { ["WeChat:ReplyBudget"] = "00:00:00.200" };
        foreach (var (name, key) in new[] { ("wenxi", RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 43)), ("suiping", "") })
        {
            settings[$"WeChat:Accounts:{name}:AppId"] = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true);
            settings[$"WeChat:Accounts:{name}:AppSecret"] = "secret-" + name;
            settings[$"WeChat:Accounts:{name}:Token"] = "token" + name;
            settings[$"WeChat:Accounts:{name}:EncodingAESKey"] = key;
        }
        _host = await SimulatorHost.StartAsync(settings, services =>
        {
            services.AddWeChat();
            services.AddWeChatMessageHandler<EchoHandler>();
            services.AddWeChatSimulatorLoopbackClient();
        }, app =>
        {
            app.MapWeChatOfficialAccounts();
            app.MapWeChatSimulatorChat();
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_page_is_served()
    {
        var html = await _host.Http.GetStringAsync("/simulator");
        Assert.Contains("<title>微信模拟器</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounts_are_listed_with_their_mode_and_without_secrets()
    {
        var json = await _host.Http.GetStringAsync("/simulator/api/accounts");
        Assert.Contains("\"name\":\"wenxi\",\"encrypted\":true", json, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"suiping\",\"encrypted\":false", json, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wenxi", true)]
    [InlineData("suiping", false)]
    public async Task A_resident_message_gets_the_bots_passive_reply(string account, bool encrypt)
    {
        using var response = await _host.Http.PostAsJsonAsync("/simulator/api/send", new { account, openId = "oPage1", text = "你好", encrypt });
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(200, result.GetProperty("status").GetInt32());
        Assert.Equal("echo: 你好", result.GetProperty("replyText").GetString());
        if (encrypt)
            Assert.True(result.GetProperty("replySignatureValid").GetBoolean());
    }

    [Fact]
    public async Task A_slow_answer_arrives_through_the_apps_own_simulator_and_shows_in_the_outbox()
    {
        using var response = await _host.Http.PostAsJsonAsync("/simulator/api/send", new { account = "wenxi", openId = "oPage2", text = "slow", encrypt = true });
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("success", result.GetProperty("rawBody").GetString());

        var call = await _host.Get<SimulatorCallLog>().WaitForAsync(c => c.Endpoint == "cgi-bin/message/custom/send", TimeSpan.FromSeconds(10), default);
        Assert.Equal(0, call.ErrorCode);
        var outbox = await _host.Http.GetFromJsonAsync<JsonElement>("/simulator/api/outbox?openid=oPage2");
        Assert.Contains("late: slow", Assert.Single(outbox.EnumerateArray()).GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_can_be_pushed_from_the_page()
    {
        using var response = await _host.Http.PostAsJsonAsync("/simulator/api/send", new { account = "suiping", openId = "oPage3", @event = "subscribe", eventKey = "qrscene_village-9", encrypt = false });
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("scene village-9", result.GetProperty("replyText").GetString());
    }

    private sealed class EchoHandler : IWeChatMessageHandler
    {
        public async ValueTask<WeChatReply?> HandleAsync(WeChatMessageContext context, CancellationToken cancellationToken)
        {
            switch (context.Message)
            {
                case TextMessage { Content: "slow" }:
                    await Task.Delay(2000, cancellationToken);
                    return new TextReply("late: slow");
                case TextMessage text:
                    return new TextReply("echo: " + text.Content);
                case SubscribeEvent subscribe:
                    return new TextReply("scene " + subscribe.Scene);
                default:
                    return null;
            }
        }
    }
}
