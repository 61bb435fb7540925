using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.Links;

/// <summary>What WeChat issues for a link: the parametric follow QR (<c>qrcode/create</c>, permanent, scene
/// <c>link:{code}</c>) and a URL Link into the mini-program. A failed call leaves the field empty, the page shows its
/// fallback, and the next request for it tries again.</summary>
internal sealed partial class LinkWeChat(
    IWeChatApiClient client,
    ShareLinkStore store,
    IOptionsMonitor<WeChatOptions> weChat,
    IOptions<LinksOptions> options,
    TimeProvider clock,
    ILogger<LinkWeChat> logger)
{
    /// <summary>The configured account serving <paramref name="policyId"/>, or null.</summary>
    public string? AccountFor(string policyId) =>
        weChat.CurrentValue.Accounts.FirstOrDefault(a => string.Equals(a.Value.PolicyId, policyId, StringComparison.Ordinal)).Key;

    // Landing pages ask on every visit; after a failure a link waits this long before WeChat is asked again.
    private static readonly TimeSpan RetryPause = TimeSpan.FromMinutes(5);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);

    /// <summary>The link with its follow QR and a valid URL Link where WeChat issues them.</summary>
    public async Task<ShareLink> EnsureIssuedAsync(ShareLink link, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (AccountFor(link.PolicyId) is not { } account
            || (_pausedUntil.TryGetValue(link.Code, out var until) && until > clock.GetUtcNow()))
        {
            return link;
        }

        if (link.WeChatQrUrl is null)
        {
            var qr = await client.CreateQrCodeAsync(account, new QrCodeRequest(link.Scene), cancellationToken);
            if (qr.IsSuccess)
            {
                await store.SetWeChatQrAsync(link.Code, qr.Value.Url, cancellationToken);
                link = link with { WeChatQrUrl = qr.Value.Url };
            }
            else
            {
                LogIssueFailed(logger, "qrcode/create", link.Code, qr.Error!.ToString());
                _pausedUntil[link.Code] = clock.GetUtcNow() + RetryPause;
            }
        }

        var now = clock.GetUtcNow();
        if (link.MiniProgramUrlLink is null || link.MiniProgramUrlLinkExpiresAt is not { } expires || expires <= now.AddHours(1))
        {
            var days = options.Value.UrlLinkDays;
            var url = await client.GenerateUrlLinkAsync(
                account,
                new UrlLinkRequest(options.Value.MiniProgramPage, "link=" + link.Code) { ExpireIntervalDays = days },
                cancellationToken);
            if (url.IsSuccess)
            {
                var expiresAt = now.AddDays(days);
                await store.SetUrlLinkAsync(link.Code, url.Value, expiresAt, cancellationToken);
                link = link with { MiniProgramUrlLink = url.Value, MiniProgramUrlLinkExpiresAt = expiresAt };
            }
            else
            {
                LogIssueFailed(logger, "generate_urllink", link.Code, url.Error!.ToString());
                _pausedUntil[link.Code] = now + RetryPause;
            }
        }

        return link;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat {Api} failed for share link {Code}: {Error}; the page shows its fallback and the next request retries")]
    private static partial void LogIssueFailed(ILogger logger, string api, string code, string error);
}
