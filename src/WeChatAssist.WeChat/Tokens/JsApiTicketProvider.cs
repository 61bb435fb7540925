using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Security;

namespace WeChatAssist.WeChat.Tokens;

/// <summary>JS-SDK tickets shared across nodes like access tokens, and the <c>wx.config</c> signature built from them.</summary>
public sealed class JsApiTicketProvider
{
    private readonly IWeChatApiClient _client;
    private readonly WeChatAccountResolver _accounts;
    private readonly SharedCredentialCache _cache;
    private readonly TimeProvider _time;

    internal JsApiTicketProvider(IWeChatApiClient client, WeChatAccountResolver accounts, IAccessTokenStore store, TimeProvider time, ILogger<JsApiTicketProvider> logger)
    {
        _client = client;
        _accounts = accounts;
        _time = time;
        _cache = new SharedCredentialCache(store, time, logger);
    }

    /// <summary>A valid jsapi ticket for the named account.</summary>
    public Task<WeChatResult<string>> GetTicketAsync(string account, CancellationToken cancellationToken)
    {
        var a = _accounts.Get(account);
        return _cache.GetAsync(AccessTokenProvider.TicketKey(a.AppId), _accounts.Options.TokenRefreshAhead, null,
            (_, ct) => _client.GetJsApiTicketAsync(account, ct), cancellationToken);
    }

    /// <summary>The <c>wx.config</c> values for a page URL (its fragment is ignored).</summary>
    public async Task<WeChatResult<JsSdkConfig>> CreateConfigAsync(string account, string pageUrl, CancellationToken cancellationToken)
    {
        var ticket = await GetTicketAsync(account, cancellationToken).ConfigureAwait(false);
        if (!ticket.IsSuccess)
            return ticket.CastError<JsSdkConfig>();
        var nonce = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 16);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var signature = Signatures.ComputeJsSdkSignature(ticket.Value, nonce, timestamp, pageUrl);
        return WeChatResult.Success(new JsSdkConfig(_accounts.Get(account).AppId, timestamp, nonce, signature));
    }
}
