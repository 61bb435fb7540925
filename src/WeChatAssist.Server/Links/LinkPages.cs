using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Links;

/// <summary>Renders a link's pages from the policy engine and the templates: landing page, poster, group text, API view.</summary>
internal sealed class LinkPages(LinkTemplates templates, PolicyCatalog policies, BusinessClock clock, IOptions<LinksOptions> options)
{
    /// <summary>The absolute landing-page address of <paramref name="link"/>.</summary>
    public string LandingUrl(ShareLink link, HttpRequest request)
    {
        var origin = options.Value.PublicBaseUrl?.ToString().TrimEnd('/') ?? $"{request.Scheme}://{request.Host}";
        return $"{origin}/s/{link.Code}";
    }

    /// <summary>The page model, or null when the link's policy is no longer loaded. A link made for one benefit year shows
    /// the county's next year (e.g. a published notice) from the day its collection opens.</summary>
    public LinkPageModel? Model(ShareLink link, HttpRequest request) =>
        policies.Current(link.PolicyId, clock.Today()) is { } policy
            ? LinkPageModel.Create(link, policy, clock.Today(), LandingUrl(link, request), link.MiniProgramUrlLink, link.WeChatQrUrl is null ? null : $"/s/{link.Code}/follow.svg")
            : null;

    public string Landing(ShareLink link, HttpRequest request) => templates.Landing(Model(link, request)!);

    public string Missing() => templates.Missing();

    public string Poster(ShareLink link, HttpRequest request)
    {
        var model = Model(link, request)!;
        return templates.Poster(model with
        {
            LandingQrSvg = new RawMarkup(LinkArtwork.Group(model.LandingUrl, 120, 900, 380)),
            FollowQrSvg = link.WeChatQrUrl is { } url ? new RawMarkup(LinkArtwork.Group(url, 580, 900, 380)) : null,
        });
    }

    public LinkResponse Describe(ShareLinkStats stats, HttpRequest request)
    {
        var link = stats.Link;
        var model = Model(link, request);
        return new LinkResponse(
            link.Code,
            link.PolicyId,
            link.Township,
            link.Village,
            link.CreatedBy,
            link.CreatedAt,
            LandingUrl(link, request),
            $"/api/v1/links/{link.Code}/qr.png",
            $"/api/v1/links/{link.Code}/qr.svg",
            $"/api/v1/links/{link.Code}/poster.svg",
            link.WeChatQrUrl is null ? null : $"/s/{link.Code}/follow.svg",
            link.MiniProgramUrlLink is not null,
            model is null ? "" : templates.Share(model),
            stats.Visits,
            stats.Follows,
            stats.Payments);
    }
}
