using System.Globalization;
using Microsoft.Extensions.Logging;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.WeChat.Tokens;

/// <summary>
/// Access tokens from <c>cgi-bin/stable_token</c>, one per app id shared by every node through <see cref="IAccessTokenStore"/>,
/// refreshed ahead of expiry with a single refresh in flight.
/// </summary>
public sealed class AccessTokenProvider
{
    private readonly WeChatTransport _transport;
    private readonly WeChatAccountResolver _accounts;
    private readonly SharedCredentialCache _cache;
    private readonly TimeProvider _time;

    internal AccessTokenProvider(WeChatTransport transport, WeChatAccountResolver accounts, IAccessTokenStore store, TimeProvider time, ILogger<AccessTokenProvider> logger)
    {
        _transport = transport;
        _accounts = accounts;
        _time = time;
        _cache = new SharedCredentialCache(store, time, logger);
    }

    /// <summary>A valid access token for the named account.</summary>
    public Task<WeChatResult<string>> GetAccessTokenAsync(string account, CancellationToken cancellationToken) =>
        GetAsync(account, rejected: null, cancellationToken);

    /// <summary>A new access token after WeChat rejected <paramref name="rejectedToken"/> (40001/42001/40014); only one node forces the refresh.</summary>
    public Task<WeChatResult<string>> RefreshAfterRejectionAsync(string account, string rejectedToken, CancellationToken cancellationToken) =>
        GetAsync(account, rejectedToken, cancellationToken);

    /// <summary>Calls <c>cgi-bin/stable_token</c> directly (no caching).</summary>
    public async Task<WeChatResult<StoredAccessToken>> FetchStableTokenAsync(string account, bool forceRefresh, CancellationToken cancellationToken)
    {
        var a = _accounts.Get(account);
        var request = new StableTokenRequest { Appid = a.AppId, Secret = a.AppSecret, ForceRefresh = forceRefresh };
        var result = await _transport.SendAsync(HttpMethod.Post, "cgi-bin/stable_token", request,
            WeChatJsonContext.Default.StableTokenRequest, WeChatJsonContext.Default.AccessTokenResponse, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            return result.CastError<StoredAccessToken>();
        var value = result.Value;
        if (string.IsNullOrEmpty(value.AccessToken) || value.ExpiresIn <= 0)
            return WeChatResult.Failure<StoredAccessToken>(WeChatError.Transport("stable_token answered without a token"));
        return WeChatResult.Success(new StoredAccessToken(value.AccessToken, _time.GetUtcNow().AddSeconds(value.ExpiresIn)));
    }

    private Task<WeChatResult<string>> GetAsync(string account, string? rejected, CancellationToken cancellationToken)
    {
        var a = _accounts.Get(account);
        return _cache.GetAsync(a.AppId, _accounts.Options.TokenRefreshAhead, rejected,
            (force, ct) => FetchStableTokenAsync(account, force, ct), cancellationToken);
    }

    internal static string TicketKey(string appId) => string.Create(CultureInfo.InvariantCulture, $"{appId}:jsapi");
}
