using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.WeChat;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Simulator.Push;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.Tests.WeChat;

public sealed class WebhookAcrossNodesTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private readonly WeChatAccountOptions _account = new()
    {
        AppId = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true),
        AppSecret = RandomNumberGenerator.GetHexString(32, lowercase: true),
        Token = RandomNumberGenerator.GetHexString(20, lowercase: true),
        EncodingAESKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))[..43],
        PolicyId = "wenxi-2024",
    };

    [Fact]
    public async Task Two_servers_on_one_PostgreSQL_process_a_retried_message_once()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var handled = new HandledMessages();
        await using var first = Node(connectionString, handled);
        await using var second = Node(connectionString, handled);
        var clients = new[] { first.CreateClient(), second.CreateClient() };
        foreach (var client in clients)
        {
            await HealthProbe.WaitForHealthyAsync(client);
        }

        // WeChat retries the same message (same MsgId) when an answer is slow; here six deliveries hit both nodes at once.
        var xml = WeChatPushSimulator.TextMessage("gh_test", "oResidentRetry", "交多少钱", msgId: 7_000_001, createTime: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var pushes = Enumerable.Range(0, 6).Select(i => Task.Run(() =>
        {
            var client = clients[i % 2];
            return new WeChatPushSimulator(client).PushAsync(new Uri(client.BaseAddress!, "/wechat/retry-test"), _account, xml, encrypt: true, CancellationToken.None);
        }));
        var results = await Task.WhenAll(pushes);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(1, handled.Count);
        Assert.Single(results, r => r.ReplyText == "handled");
    }

    private ServerFactory Node(string connectionString, HandledMessages handled) => ServerFactory.ForPostgres(
        connectionString,
        services => services.AddSingleton(handled).AddWeChatMessageHandler<CountingHandler>(),
        new Dictionary<string, string?>
        {
            ["WeChat:Accounts:retry-test:AppId"] = _account.AppId,
            ["WeChat:Accounts:retry-test:AppSecret"] = _account.AppSecret,
            ["WeChat:Accounts:retry-test:Token"] = _account.Token,
            ["WeChat:Accounts:retry-test:EncodingAESKey"] = _account.EncodingAESKey,
            ["WeChat:Accounts:retry-test:PolicyId"] = _account.PolicyId,
        });

    private sealed class HandledMessages
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Add() => Interlocked.Increment(ref _count);
    }

    private sealed class CountingHandler(HandledMessages handled) : IWeChatMessageHandler
    {
        public ValueTask<WeChatReply?> HandleAsync(WeChatMessageContext context, CancellationToken cancellationToken)
        {
            handled.Add();
            return ValueTask.FromResult<WeChatReply?>(new TextReply("handled"));
        }
    }
}
