using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.WeChat.Webhook;

/// <summary>Maps the multi-account WeChat webhook.</summary>
public static class WeChatWebhookEndpoints
{
    /// <summary>Maps GET (URL verification) and POST (messages) on <paramref name="pattern"/>, which must contain <c>{account}</c>.</summary>
    public static RouteGroupBuilder MapWeChatOfficialAccounts(this IEndpointRouteBuilder endpoints, string pattern = "/wechat/{account}")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!pattern.Contains("{account}", StringComparison.Ordinal))
            throw new ArgumentException("The pattern must contain an {account} segment.", nameof(pattern));

        var group = endpoints.MapGroup(pattern);
        group.MapGet("", VerifyUrl).WithName("WeChatVerifyUrl").ExcludeFromDescription();
        group.MapPost("", ReceiveAsync).WithName("WeChatReceive").ExcludeFromDescription();
        return group;
    }

    /// <summary>Maps the mini-program message push (客服消息 and events, JSON or XML, plaintext or safe mode) on
    /// <paramref name="pattern"/>, which must contain <c>{account}</c>; only accounts of kind <c>MiniProgram</c> answer.</summary>
    public static RouteGroupBuilder MapWeChatMiniPrograms(this IEndpointRouteBuilder endpoints, string pattern = "/wechat-mp/{account}")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!pattern.Contains("{account}", StringComparison.Ordinal))
            throw new ArgumentException("The pattern must contain an {account} segment.", nameof(pattern));

        var group = endpoints.MapGroup(pattern);
        group.MapGet("", (string account, HttpContext context) =>
            ToResult(context.RequestServices.GetRequiredService<WeChatWebhookProcessor>().Verify(account, context.Request.Query, WeChatAccountKind.MiniProgram), context))
            .WithName("WeChatMiniProgramVerifyUrl").ExcludeFromDescription();
        group.MapPost("", async (string account, HttpContext context) =>
        {
            var processor = context.RequestServices.GetRequiredService<WeChatWebhookProcessor>();
            return ToResult(await processor.ReceiveAsync(account, context.Request, context.RequestAborted, WeChatAccountKind.MiniProgram).ConfigureAwait(false), context);
        }).WithName("WeChatMiniProgramReceive").ExcludeFromDescription();
        return group;
    }

    /// <summary>GET: echo <c>echostr</c> when the signature is valid.</summary>
    private static IResult VerifyUrl(string account, HttpContext context) =>
        ToResult(context.RequestServices.GetRequiredService<WeChatWebhookProcessor>().Verify(account, context.Request.Query), context);

    /// <summary>POST: a message or event.</summary>
    private static async Task<IResult> ReceiveAsync(string account, HttpContext context)
    {
        var processor = context.RequestServices.GetRequiredService<WeChatWebhookProcessor>();
        var outcome = await processor.ReceiveAsync(account, context.Request, context.RequestAborted).ConfigureAwait(false);
        return ToResult(outcome, context);
    }

    private static IResult ToResult(WebhookOutcome outcome, HttpContext context)
    {
        // The echo and replies are reflected data: never let a browser sniff them into HTML.
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "no-store";
        return outcome.Body is null
            ? TypedResults.StatusCode(outcome.StatusCode)
            : TypedResults.Content(outcome.Body, outcome.ContentType, statusCode: outcome.StatusCode);
    }
}
