using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Staff;

/// <summary>The antiforgery token a signed-in staff page sends back in <see cref="StaffAntiforgery.HeaderName"/>.</summary>
internal sealed record AntiforgeryTokenResponse(string Token, string HeaderName);

/// <summary>Cross-site request forgery protection for everything the staff cookie authenticates: any POST, PUT,
/// PATCH or DELETE to an endpoint requiring authorization whose caller was signed in by the cookie must carry a token from
/// <c>GET /api/v1/staff/antiforgery</c> (header) or a Razor form field. Bearer-token calls (the mini-program) carry no
/// ambient credential and are not checked; nor are anonymous endpoints (login, the webhook).</summary>
internal static partial class StaffAntiforgery
{
    public const string HeaderName = "X-CSRF-TOKEN";
    public const string CookieName = "wca_csrf";

    public static IHostApplicationBuilder AddStaffAntiforgery(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAntiforgery(options =>
        {
            options.HeaderName = HeaderName;
            options.Cookie.Name = CookieName;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        return builder;
    }

    /// <summary>Validates state-changing cookie-authenticated requests. WebApplication runs authentication and
    /// authorization before middleware added here, so the caller is known.</summary>
    public static IApplicationBuilder UseStaffAntiforgery(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (NeedsToken(context))
        {
            var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                LogRejected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StaffAntiforgery).FullName!), context.Request.Method, context.Request.Path);
                var texts = context.RequestServices.GetRequiredKeyedService<ProblemTexts>(ProblemTextKeys.Residents);
                await texts.Problem(StatusCodes.Status400BadRequest, "antiforgeryFailed").ExecuteAsync(context);
                return;
            }
        }

        await next(context);
    });

    public static RouteHandlerBuilder MapAntiforgeryToken(this RouteGroupBuilder group) =>
        group.MapGet("/antiforgery", Token).WithName("StaffAntiforgeryToken").RequireAuthorization(StaffClaims.VillagePolicy);

    /// <summary>Issues a token bound to the signed-in user (and sets its cookie half).</summary>
    internal static Ok<AntiforgeryTokenResponse> Token(HttpContext context, IAntiforgery antiforgery)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        return TypedResults.Ok(new AntiforgeryTokenResponse(tokens.RequestToken!, HeaderName));
    }

    internal static bool NeedsToken(HttpContext context)
    {
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method))
        {
            return false;
        }

        if (context.User.Identity is not { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme })
        {
            return false;
        }

        // Only endpoints that require a signed-in caller: an anonymous one (the webhook, the Development simulator)
        // grants nothing to a forged request even when the browser happens to hold a staff cookie.
        // DisableAntiforgery() is not an exemption here: a multipart upload marks it to skip the framework's form
        // check, yet behind the staff cookie it is as forgeable as any other write.
        var metadata = context.GetEndpoint()?.Metadata;

        // SignalR's negotiate and transport POSTs: the hubs only let a signed-in user watch their own scope (no
        // writes), and the cookie is SameSite=Strict.
        if (metadata?.GetMetadata<Microsoft.AspNetCore.SignalR.HubMetadata>() is not null)
        {
            return false;
        }

        return metadata is not null
            && metadata.GetMetadata<IAllowAnonymous>() is null
            && (metadata.GetMetadata<IAuthorizeData>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a staff {Method} {Path} without a valid antiforgery token.")]
    private static partial void LogRejected(ILogger logger, string method, string path);
}
