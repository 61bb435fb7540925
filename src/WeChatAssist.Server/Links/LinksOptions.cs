using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.Links;

/// <summary><c>Links:*</c>: where landing pages are published and which mini-program page the button opens.</summary>
internal sealed class LinksOptions
{
    public const string SectionName = "Links";

    /// <summary>The public origin residents reach, e.g. <c>https://ybj.example.gov.cn/</c>; null uses the request's own
    /// scheme and host (fine behind a proxy that forwards them).</summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>The mini-program page the landing page's button opens; the link code goes along as <c>link={code}</c>.</summary>
    [Required]
    public string MiniProgramPage { get; set; } = "pages/index/index";

    /// <summary>Days a generated mini-program URL Link stays valid (WeChat allows 1-30); it is renewed on a later visit.</summary>
    [Range(1, 30)]
    public int UrlLinkDays { get; set; } = 30;

    /// <summary>User-Agent fragments (case-insensitive) of crawlers, link previewers and scripts: they still get the
    /// landing page, but are not counted as visits. A request without a User-Agent is not counted either.</summary>
    [Required]
    public string[] CrawlerAgents { get; set; } =
        ["bot", "spider", "crawl", "slurp", "facebookexternalhit", "preview", "curl/", "wget/", "python-requests", "go-http-client", "okhttp", "java/"];

    /// <summary>Whether a request with <paramref name="userAgent"/> counts as a person's visit.</summary>
    public bool CountsAsVisit(string? userAgent) =>
        !string.IsNullOrWhiteSpace(userAgent) && !CrawlerAgents.Any(fragment => userAgent.Contains(fragment, StringComparison.OrdinalIgnoreCase));
}
