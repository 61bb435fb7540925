using System.Security.Cryptography;
using WeChatAssist.WeChat;
using WeChatAssist.WeChat.Simulator;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Simulator.Chat;
using WeChatAssist.WeChat.Tokens;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.Server.WeChat;

/// <summary>
/// Connects the server to WeChat: the webhook <c>/wechat/{account}</c>, retry de-duplication and access tokens in the
/// shared database, and — in Development only — the loopback WeChat simulator and its <c>/simulator</c> chat page.
/// </summary>
internal static class WeChatChannelExtensions
{
    public const string WebhookPattern = "/wechat/{account}";
    public const string MiniProgramPushPattern = "/wechat-mp/{account}";
    public const string SimulatorPrefix = "/wechat-sim";
    public const string SimulatorPagePath = "/simulator";

    public static IHostApplicationBuilder AddWeChatChannel(this IHostApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            builder.Configuration.AddInMemoryCollection(DevelopmentAccountSecrets(builder.Configuration));
        }

        builder.AddWeChat();

        // The library only TryAdds its in-memory stores; these make de-duplication and tokens shared by all nodes.
        builder.Services.AddSingleton<IMessageDeduplicator, DatabaseMessageDeduplicator>();
        builder.Services.AddSingleton<IAccessTokenStore, DatabaseAccessTokenStore>();

        // Custom menus (WeChat:Accounts:{name}:Menu), pushed at start and on change unless WeChat:PublishMenus is false.
        builder.Services.AddOptions<AccountMenuOptions>().Bind(builder.Configuration.GetSection(AccountMenuOptions.SectionName));
        if (builder.Configuration.GetValue(AccountMenuOptions.PublishKey, true))
        {
            builder.Services.AddHostedService<AccountMenuPublisher>();
        }

        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddWeChatSimulator();
            builder.Services.AddWeChatSimulatorLoopbackClient(SimulatorPrefix);
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapWeChatChannel(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapWeChatOfficialAccounts(WebhookPattern);
        endpoints.MapWeChatMiniPrograms(MiniProgramPushPattern);
        if (endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            endpoints.MapWeChatSimulator(SimulatorPrefix);
            endpoints.MapWeChatSimulatorChat(SimulatorPagePath, WebhookPattern);
        }

        return endpoints;
    }

    // Development ships four accounts whose app ids and policies are in appsettings.Development.json. Their secrets
    // may not live in a settings file, so each start invents fresh ones in memory (the simulator in the same process
    // signs with them). An EncodingAESKey written as "" keeps that account in plaintext mode.
    private static Dictionary<string, string?> DevelopmentAccountSecrets(IConfiguration configuration)
    {
        var secrets = new Dictionary<string, string?>();
        foreach (var account in configuration.GetSection("WeChat:Accounts").GetChildren())
        {
            var prefix = account.Path;
            if (account["Token"] is null)
            {
                secrets[$"{prefix}:Token"] = RandomToken(32);
            }

            if (account["AppSecret"] is null)
            {
                secrets[$"{prefix}:AppSecret"] = RandomToken(32);
            }

            if (account["EncodingAESKey"] is null)
            {
                secrets[$"{prefix}:EncodingAESKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))[..43];
            }

            if (account["AppId"] is { } appId)
            {
                // The simulator checks app credentials the way WeChat does.
                secrets[$"WeChat:Simulator:Apps:{appId}"] = account["AppSecret"] ?? secrets[$"{prefix}:AppSecret"];
            }
        }

        return secrets;
    }

    private static string RandomToken(int length) => RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
}
