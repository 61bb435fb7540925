using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Links;

/// <summary>A cadre asking for a share link; township and bureau staff name the village (and the bureau the policy).</summary>
internal sealed record CreateLinkRequest(string? PolicyId, string? Township, string? Village);

/// <summary>A share link as staff see it: where it leads, its artwork, the group text and what it brought so far.</summary>
internal sealed record LinkResponse(
    string Code,
    string PolicyId,
    string Township,
    string Village,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string LandingUrl,
    string QrPngUrl,
    string QrSvgUrl,
    string PosterUrl,
    string? FollowQrUrl,
    bool MiniProgramLinkIssued,
    string ShareText,
    long Visits,
    long Follows,
    long Payments);

/// <summary><c>/api/v1/links</c> for staff (create, list, QR codes, poster) and the residents' landing page <c>/s/{code}</c>.</summary>
internal static class LinkEndpoints
{
    public static IEndpointRouteBuilder MapLinkEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var staff = endpoints.MapGroup("/api/v1/links").WithTags("Links").RequireAuthorization(StaffClaims.VillagePolicy);
        staff.MapPost("/", CreateLink).WithName("CreateShareLink");
        staff.MapGet("/", ListLinks).WithName("ListShareLinks");
        staff.MapGet("/{code}/qr.png", QrPng).WithName("ShareLinkQrPng");
        staff.MapGet("/{code}/qr.svg", QrSvg).WithName("ShareLinkQrSvg");
        staff.MapGet("/{code}/poster.svg", Poster).WithName("ShareLinkPoster");

        var residents = endpoints.MapGroup("/s").WithTags("Links").AllowAnonymous().ExcludeFromDescription();
        residents.MapGet("/{code}", Landing).WithName("ShareLinkLanding");
        residents.MapGet("/{code}/follow.svg", FollowQr).WithName("ShareLinkFollowQr");
        return endpoints;
    }

    internal static async Task<Results<Created<LinkResponse>, ProblemHttpResult>> CreateLink(
        CreateLinkRequest request,
        ClaimsPrincipal user,
        HttpContext context,
        ShareLinkStore store,
        LinkWeChat weChat,
        LinkPages pages,
        PolicyCatalog policies,
        [FromKeyedServices(ProblemTextKeys.Links)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (!AdminResidentEndpoints.TryScope(user, request.PolicyId, request.Township, request.Village, out var scope))
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "scopeForbidden");
        }

        if (scope is not { PolicyId: { } policyId, Township: { } township, Village: { } village })
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "linkNeedsVillage");
        }

        if (policies.Find(policyId) is null)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "policyUnknown", ("policyId", policyId));
        }

        var link = await store.CreateAsync(policyId, township, village, user.Identity?.Name ?? "", cancellationToken);
        link = await weChat.EnsureIssuedAsync(link, cancellationToken);
        var response = pages.Describe(new ShareLinkStats(link, 0, 0, 0), context.Request);
        return TypedResults.Created($"/api/v1/links/{link.Code}", response);
    }

    internal static async Task<Results<Ok<LinkResponse[]>, ProblemHttpResult>> ListLinks(
        string? policyId,
        string? township,
        string? village,
        ClaimsPrincipal user,
        HttpContext context,
        ShareLinkStore store,
        LinkPages pages,
        [FromKeyedServices(ProblemTextKeys.Links)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (!AdminResidentEndpoints.TryScope(user, policyId, township, village, out var scope))
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "scopeForbidden");
        }

        var links = await store.ListAsync(scope, cancellationToken);
        return TypedResults.Ok(links.Select(l => pages.Describe(l, context.Request)).ToArray());
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> QrPng(
        string code, ClaimsPrincipal user, HttpContext context, ShareLinkStore store, LinkPages pages, [FromKeyedServices(ProblemTextKeys.Links)] ProblemTexts texts, CancellationToken cancellationToken) =>
        await FindInScopeAsync(code, user, store, cancellationToken) is { } link
            ? TypedResults.File(LinkArtwork.Png(pages.LandingUrl(link, context.Request)), "image/png", $"{link.Village}-{link.Code}.png")
            : texts.Problem(StatusCodes.Status404NotFound, "linkNotFound", ("code", code));

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> QrSvg(
        string code, ClaimsPrincipal user, HttpContext context, ShareLinkStore store, LinkPages pages, [FromKeyedServices(ProblemTextKeys.Links)] ProblemTexts texts, CancellationToken cancellationToken) =>
        await FindInScopeAsync(code, user, store, cancellationToken) is { } link
            ? TypedResults.Content(LinkArtwork.Svg(pages.LandingUrl(link, context.Request)), "image/svg+xml")
            : texts.Problem(StatusCodes.Status404NotFound, "linkNotFound", ("code", code));

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> Poster(
        string code,
        ClaimsPrincipal user,
        HttpContext context,
        ShareLinkStore store,
        LinkWeChat weChat,
        LinkPages pages,
        [FromKeyedServices(ProblemTextKeys.Links)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(code, user, store, cancellationToken) is not { } link || pages.Model(link, context.Request) is null)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "linkNotFound", ("code", code));
        }

        link = await weChat.EnsureIssuedAsync(link, cancellationToken);
        return TypedResults.Content(pages.Poster(link, context.Request), "image/svg+xml; charset=utf-8");
    }

    internal static async Task<ContentHttpResult> Landing(
        string code,
        HttpContext context,
        ShareLinkStore store,
        LinkWeChat weChat,
        LinkPages pages,
        BusinessClock clock,
        IOptions<LinksOptions> options,
        CancellationToken cancellationToken)
    {
        // Visits are counted, never who visited: no cookie, no OpenID, no IP address is stored. Crawlers and link
        // previews fetch the page too; they are not visits.
        context.Response.Headers.CacheControl = "no-store";
        if (await store.FindAsync(code, cancellationToken) is not { } link || pages.Model(link, context.Request) is null)
        {
            return TypedResults.Content(pages.Missing(), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }

        if (options.Value.CountsAsVisit(context.Request.Headers.UserAgent.ToString()))
        {
            await store.RecordVisitAsync(link.Code, clock.Today(), cancellationToken);
        }

        link = await weChat.EnsureIssuedAsync(link, cancellationToken);
        return TypedResults.Content(pages.Landing(link, context.Request), "text/html; charset=utf-8");
    }

    internal static async Task<Results<ContentHttpResult, NotFound>> FollowQr(string code, ShareLinkStore store, CancellationToken cancellationToken) =>
        await store.FindAsync(code, cancellationToken) is { WeChatQrUrl: { } url }
            ? TypedResults.Content(LinkArtwork.Svg(url), "image/svg+xml")
            : TypedResults.NotFound();

    private static async Task<ShareLink?> FindInScopeAsync(string code, ClaimsPrincipal user, ShareLinkStore store, CancellationToken cancellationToken)
    {
        var link = await store.FindAsync(code, cancellationToken);
        return link is not null && AdminResidentEndpoints.TryScope(user, link.PolicyId, link.Township, link.Village, out _) ? link : null;
    }
}
