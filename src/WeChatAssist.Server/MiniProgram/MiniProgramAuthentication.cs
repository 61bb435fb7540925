using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>Authenticates <c>Authorization: Bearer {token}</c> against <see cref="MiniProgramSessions"/>.</summary>
internal sealed class MiniProgramAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    MiniProgramSessions sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "MiniProgram";
    public const string PolicyName = "miniProgram";
    public const string SessionClaim = "wca:mp-session";
    public const string AccountClaim = "wca:mp-account";
    public const string AppIdClaim = "wca:mp-app";
    public const string UnionIdClaim = "wca:mp-union";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var session = await sessions.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (session is null)
        {
            return AuthenticateResult.Fail("The mini-program session token is invalid or expired.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, session.OpenId),
            new(SessionClaim, session.SessionId),
            new(AccountClaim, session.Account),
            new(AppIdClaim, session.AppId),
        };
        if (session.UnionId is not null)
        {
            claims.Add(new Claim(UnionIdClaim, session.UnionId));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    /// <summary>The session of an authenticated request.</summary>
    public static MiniProgramSession Session(ClaimsPrincipal user) => new(
        user.FindFirstValue(SessionClaim)!,
        user.FindFirstValue(AccountClaim)!,
        user.FindFirstValue(AppIdClaim)!,
        user.FindFirstValue(ClaimTypes.NameIdentifier)!,
        user.FindFirstValue(UnionIdClaim));
}
