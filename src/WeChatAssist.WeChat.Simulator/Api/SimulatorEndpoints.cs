using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace WeChatAssist.WeChat.Simulator.Api;

/// <summary>Maps the simulated WeChat API (the paths the client calls) and its control endpoints.</summary>
public static class SimulatorEndpoints
{
    /// <summary>Route prefix under which the simulated WeChat API is served by default.</summary>
    public const string DefaultPrefix = "/wechat-sim";

    /// <summary>Largest request body the simulator reads.</summary>
    private const int MaxBody = 1 << 20;

    private static readonly JsonSerializerOptions ControlJson = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    private delegate ValueTask<Reply> Logic(Call call);

    /// <summary>Maps the simulator under <paramref name="prefix"/>; only loopback callers are answered.</summary>
    public static RouteGroupBuilder MapWeChatSimulator(this IEndpointRouteBuilder endpoints, string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix).ExcludeFromDescription();
        group.AddEndpointFilter(static async (context, next) =>
            IsLoopback(context.HttpContext.Connection.RemoteIpAddress) ? await next(context).ConfigureAwait(false) : TypedResults.NotFound());

        Map(group, "POST", "cgi-bin/stable_token", needsToken: false, SimulatedApi.StableToken);
        Map(group, "POST", "cgi-bin/message/custom/send", needsToken: true, SimulatedApi.CustomSend);
        Map(group, "POST", "cgi-bin/message/template/send", needsToken: true, SimulatedApi.TemplateSend);
        Map(group, "POST", "cgi-bin/message/subscribe/bizsend", needsToken: true, SimulatedApi.SubscribeSend);
        Map(group, "POST", "cgi-bin/message/subscribe/send", needsToken: true, SimulatedApi.MiniProgramSubscribeSend);
        Map(group, "GET", "cgi-bin/user/info", needsToken: true, SimulatedApi.UserInfo);
        Map(group, "POST", "cgi-bin/user/info/batchget", needsToken: true, SimulatedApi.UserInfoBatch);
        Map(group, "POST", "cgi-bin/message/mass/sendall", needsToken: true, SimulatedApi.MassSendAll);
        Map(group, "POST", "cgi-bin/message/mass/send", needsToken: true, SimulatedApi.MassSend);
        Map(group, "POST", "cgi-bin/tags/create", needsToken: true, SimulatedApi.TagCreate);
        Map(group, "GET", "cgi-bin/tags/get", needsToken: true, SimulatedApi.TagsGet);
        Map(group, "POST", "cgi-bin/tags/members/batchtagging", needsToken: true, SimulatedApi.BatchTagging);
        Map(group, "POST", "cgi-bin/qrcode/create", needsToken: true, SimulatedApi.QrCodeCreate);
        Map(group, "POST", "cgi-bin/menu/create", needsToken: true, SimulatedApi.MenuCreate);
        Map(group, "GET", "sns/jscode2session", needsToken: false, SimulatedApi.CodeToSession);
        Map(group, "POST", "wxa/getwxacodeunlimit", needsToken: true, SimulatedApi.WxaCodeUnlimited);
        Map(group, "POST", "wxa/generate_urllink", needsToken: true, SimulatedApi.GenerateUrlLink);
        Map(group, "GET", "cgi-bin/ticket/getticket", needsToken: true, SimulatedApi.GetTicket);
        Map(group, "GET", "sns/oauth2/access_token", needsToken: false, SimulatedApi.OAuthAccessToken);

        group.MapGet("connect/oauth2/authorize", Authorize).WithName("WeChatSimulatorOAuthAuthorize");

        var control = group.MapGroup("_simulator");
        control.MapGet("calls", (string? endpoint, SimulatorCallLog log) => TypedResults.Json(log.Calls(endpoint), ControlJson)).WithName("WeChatSimulatorCalls");
        control.MapGet("outbox", (string openid, SimulatorCallLog log) => TypedResults.Json(log.Outbox(openid), ControlJson)).WithName("WeChatSimulatorOutbox");
        control.MapDelete("calls", (SimulatorCallLog log) =>
        {
            log.Clear();
            return TypedResults.NoContent();
        }).WithName("WeChatSimulatorClearCalls");
        control.MapGet("faults", (SimulatorFaults faults) => TypedResults.Json(faults.Pending().Select(p => new { p.Fault, p.Remaining }), ControlJson)).WithName("WeChatSimulatorFaults");
        control.MapPost("faults", InjectFaultAsync).WithName("WeChatSimulatorInjectFault");
        control.MapDelete("faults", (SimulatorFaults faults) =>
        {
            faults.Clear();
            return TypedResults.NoContent();
        }).WithName("WeChatSimulatorClearFaults");
        control.MapPost("tokens/revoke", (string appid, SimulatorState state) =>
        {
            state.RevokeTokens(appid);
            return TypedResults.NoContent();
        }).WithName("WeChatSimulatorRevokeTokens");
        control.MapPost("codes", (string appid, string openid, SimulatorState state) =>
            TypedResults.Json(new { code = state.IssueCode(appid, openid) }, ControlJson)).WithName("WeChatSimulatorIssueCode");
        control.MapPost("users", (string appid, string openid, string? person, bool? following, SimulatorState state) =>
        {
            state.SetUser(appid, openid, person, following ?? true);
            return TypedResults.Json(new { unionid = state.UnionId(appid, openid) }, ControlJson);
        }).WithName("WeChatSimulatorSetUser");
        control.MapPost("consents", (string appid, string openid, string template, int? count, SimulatorState state) =>
        {
            state.AddConsent(appid, openid, template, count ?? 1);
            return TypedResults.NoContent();
        }).WithName("WeChatSimulatorAddConsent");
        return group;
    }

    /// <summary>
    /// Stands in for WeChat's authorise page: redirects at once to <c>redirect_uri</c> with a one-time code for
    /// <c>openid</c> (or a stable made-up OpenID) and the <c>state</c>, as the silent snsapi_base flow does.
    /// </summary>
    private static Results<RedirectHttpResult, BadRequest<string>> Authorize(string? appid, string? redirect_uri, string? state, string? openid, SimulatorState simulator)
    {
        if (string.IsNullOrEmpty(appid) || !Uri.TryCreate(redirect_uri, UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
            return TypedResults.BadRequest("appid and an absolute http(s) redirect_uri are required");
        var code = simulator.IssueCode(appid, string.IsNullOrEmpty(openid) ? "oSimWeb" + appid[^Math.Min(6, appid.Length)..] : openid);
        var separator = string.IsNullOrEmpty(target.Query) ? "?" : "&";
        return TypedResults.Redirect($"{target.GetLeftPart(UriPartial.Query)}{separator}code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state ?? string.Empty)}");
    }

    private static async Task<IResult> InjectFaultAsync(HttpContext context, SimulatorFaults faults)
    {
        try
        {
            var fault = await JsonSerializer.DeserializeAsync<SimulatorFault>(context.Request.Body, ControlJson, context.RequestAborted).ConfigureAwait(false);
            if (fault is null || string.IsNullOrWhiteSpace(fault.Endpoint) || fault.Count < 1)
                return TypedResults.BadRequest("endpoint and a positive count are required");
            faults.Inject(fault);
            return TypedResults.NoContent();
        }
        catch (JsonException ex)
        {
            return TypedResults.BadRequest(ex.Message);
        }
    }

    private static void Map(RouteGroupBuilder group, string method, string endpoint, bool needsToken, Logic logic) =>
        group.MapMethods(endpoint, [method], (Delegate)((HttpContext context) => HandleAsync(context, endpoint, needsToken, logic)))
            .WithName("WeChatSimulator " + endpoint);

    private static async Task<IResult> HandleAsync(HttpContext context, string endpoint, bool needsToken, Logic logic)
    {
        var services = context.RequestServices;
        var log = services.GetRequiredService<SimulatorCallLog>();
        var state = services.GetRequiredService<SimulatorState>();
        var request = context.Request;
        var queryText = request.QueryString.Value ?? string.Empty;
        var body = await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false);
        string? appId = request.Query["appid"].FirstOrDefault();

        var fault = services.GetRequiredService<SimulatorFaults>().TryTake(endpoint);
        switch (fault?.Kind)
        {
            case SimulatorFaultKind.Delay:
                await Task.Delay(Math.Max(0, fault.DelayMilliseconds), context.RequestAborted).ConfigureAwait(false);
                break;
            case SimulatorFaultKind.Timeout:
                log.Record(endpoint, request.Method, appId, queryText, body, -1);
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                return TypedResults.Empty;
            case SimulatorFaultKind.HttpStatus:
                log.Record(endpoint, request.Method, appId, queryText, body, -1);
                return TypedResults.StatusCode(fault.HttpStatus);
            case SimulatorFaultKind.ErrorCode:
                log.Record(endpoint, request.Method, appId, queryText, body, fault.ErrorCode);
                return Error(fault.ErrorCode);
        }

        if (needsToken)
        {
            var (code, tokenApp) = state.ValidateToken(request.Query["access_token"].FirstOrDefault());
            appId = tokenApp ?? appId;
            if (code != 0)
            {
                log.Record(endpoint, request.Method, appId, queryText, body, code);
                return Error(code);
            }
        }

        JsonNode? json = null;
        if (HttpMethods.IsPost(request.Method))
        {
            try
            {
                json = string.IsNullOrEmpty(body) ? null : JsonNode.Parse(body);
            }
            catch (JsonException)
            {
                json = null;
            }
            if (json is not JsonObject)
            {
                log.Record(endpoint, request.Method, appId, queryText, body, 47001);
                return Error(47001);
            }
        }

        var reply = await logic(new Call(state, request.Query, json as JsonObject, appId)).ConfigureAwait(false);
        log.Record(endpoint, request.Method, reply.AppId ?? appId, queryText, body, reply.ErrorCode);
        if (reply.ErrorCode != 0)
            return Error(reply.ErrorCode);
        if (reply.Binary is not null)
            return TypedResults.Bytes(reply.Binary, "image/png");
        var payload = reply.Payload ?? [];
        payload["errcode"] = 0;
        payload["errmsg"] = "ok";
        return TypedResults.Text(payload.ToJsonString(), "application/json; charset=utf-8");
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Error(int code) =>
        TypedResults.Text(new JsonObject { ["errcode"] = code, ["errmsg"] = SimulatedApi.ErrorMessage(code) }.ToJsonString(), "application/json; charset=utf-8");

    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || HttpMethods.IsGet(request.Method))
            return null;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0 && text.Length < MaxBody)
            text.Append(buffer, 0, read);
        return text.Length == 0 ? null : text.ToString();
    }

    private static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);
}

/// <summary>One simulated call as the endpoint logic sees it.</summary>
internal sealed record Call(SimulatorState State, IQueryCollection Query, JsonObject? Body, string? AppId);

/// <summary>What the endpoint logic answers.</summary>
internal sealed record Reply(int ErrorCode, JsonObject? Payload = null, byte[]? Binary = null, string? AppId = null)
{
    public static Reply Ok(JsonObject? payload = null) => new(0, payload);

    public static Reply Fail(int code) => new(code);
}
