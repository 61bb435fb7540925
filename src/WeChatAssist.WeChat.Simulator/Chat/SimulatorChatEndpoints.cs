using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.WeChat.Simulator.Chat;

/// <summary>A page showing WeChat as a resident sees it — the conversation with any configured account, its custom
/// menu, service notifications — plus the mini-program's flows and the developer's controls (Development only,
/// loopback only).</summary>
public static class SimulatorChatEndpoints
{
    /// <summary>Maps the page at <paramref name="pattern"/> and its JSON API; pushes go to <paramref name="webhookPattern"/> on this server.</summary>
    public static RouteGroupBuilder MapWeChatSimulatorChat(this IEndpointRouteBuilder endpoints, string pattern = "/simulator", string webhookPattern = "/wechat/{account}")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(pattern).ExcludeFromDescription();
        group.AddEndpointFilter(static async (context, next) =>
            context.HttpContext.Connection.RemoteIpAddress is not { } ip || IPAddress.IsLoopback(ip) ? await next(context).ConfigureAwait(false) : TypedResults.NotFound());

        group.MapGet("", Page).WithName("WeChatSimulatorChatPage");
        group.MapGet("api/accounts", Accounts).WithName("WeChatSimulatorChatAccounts");
        group.MapGet("api/menu", Menu).WithName("WeChatSimulatorChatMenu");
        // wx.login for the page's mini-program panel: a one-time code jscode2session will redeem for this OpenID.
        group.MapPost("api/login-code", (string account, string openid, IOptionsMonitor<WeChatOptions> options, SimulatorState state) =>
            options.CurrentValue.Accounts.TryGetValue(account, out var configured) && !string.IsNullOrWhiteSpace(openid)
                ? Results.Json(new { code = state.IssueCode(configured.AppId, openid) })
                : Results.NotFound()).WithName("WeChatSimulatorChatLoginCode");
        group.MapGet("api/outbox", (string openid, SimulatorCallLog log) => TypedResults.Ok(log.Outbox(openid))).WithName("WeChatSimulatorChatOutbox");
        group.MapPost("api/send", (ChatPush push, IServer server, IHttpClientFactory clients, IOptionsMonitor<WeChatOptions> options, SimulatorState state, CancellationToken ct) =>
            SendAsync(push, webhookPattern, server, clients, options, state, ct)).WithName("WeChatSimulatorChatSend");
        return group;
    }

    private static FileStreamHttpResult Page()
    {
        var stream = typeof(SimulatorChatEndpoints).Assembly.GetManifestResourceStream("WeChatAssist.WeChat.Simulator.Chat.simulator.html")
            ?? throw new InvalidOperationException("The simulator page resource is missing.");
        return TypedResults.Stream(stream, "text/html; charset=utf-8");
    }

    private static Ok<List<ChatAccount>> Accounts(IOptionsMonitor<WeChatOptions> options) =>
        TypedResults.Ok(options.CurrentValue.Accounts.Select(a => new ChatAccount(a.Key, a.Value.UsesEncryption, a.Value.AppId)).OrderBy(a => a.Name, StringComparer.Ordinal).ToList());

    // The menu the account's server pushed with menu/create, as WeChat would show it; [] before any push.
    private static Results<ContentHttpResult, NotFound> Menu(string account, IOptionsMonitor<WeChatOptions> options, SimulatorState state) =>
        options.CurrentValue.Accounts.TryGetValue(account, out var configured)
            ? TypedResults.Text(state.Menu(configured.AppId) ?? "[]", "application/json; charset=utf-8")
            : TypedResults.NotFound();

    private static async Task<Results<Ok<ChatResult>, BadRequest<string>>> SendAsync(ChatPush push, string webhookPattern, IServer server, IHttpClientFactory clients, IOptionsMonitor<WeChatOptions> options, SimulatorState state, CancellationToken ct)
    {
        if (!options.CurrentValue.Accounts.TryGetValue(push.Account ?? string.Empty, out var account) || string.IsNullOrWhiteSpace(push.OpenId))
            return TypedResults.BadRequest("account and openId are required");
        // As on WeChat, a person's message (and most events) opens the customer-service window.
        if (push.Event is null or "" or "subscribe" or "SCAN" or "CLICK")
            state.RecordInbound(account.AppId, push.OpenId);

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var toUser = "gh_" + push.Account;
        var xml = string.IsNullOrEmpty(push.Event)
            ? WeChatPushSimulator.TextMessage(toUser, push.OpenId, push.Text ?? string.Empty, RandomNumberGenerator.GetInt32(1, int.MaxValue) * 1000L, now)
            : WeChatPushSimulator.Event(toUser, push.OpenId, push.Event, push.EventKey, now);
        var webhook = new Uri(SelfRedirectHandler.SelfAddress(server), webhookPattern.Replace("{account}", Uri.EscapeDataString(push.Account!), StringComparison.Ordinal));
        var simulator = new WeChatPushSimulator(clients.CreateClient(nameof(SimulatorChatEndpoints)));
        var result = await simulator.PushAsync(webhook, account, xml, push.Encrypt && account.UsesEncryption, ct).ConfigureAwait(false);
        return TypedResults.Ok(new ChatResult(result.StatusCode, result.ReplyText, result.ReplyXml, result.Body, result.ReplySignatureValid));
    }

    /// <summary>A message or event to push as a resident.</summary>
    /// <param name="Account">Configured account name.</param>
    /// <param name="OpenId">The resident's OpenID.</param>
    /// <param name="Text">Text to send (when <paramref name="Event"/> is empty).</param>
    /// <param name="Event">Event name (subscribe, SCAN, CLICK, ...), or empty for a text message.</param>
    /// <param name="EventKey">Event key (e.g. qrscene_village-1).</param>
    /// <param name="Encrypt">Encrypt in safe mode when the account has a key.</param>
    internal sealed record ChatPush(string? Account, string? OpenId, string? Text, string? Event, string? EventKey, bool Encrypt);

    internal sealed record ChatAccount(string Name, bool Encrypted, string AppId);

    internal sealed record ChatResult(int Status, string? ReplyText, string? ReplyXml, string RawBody, bool? ReplySignatureValid);
}
