using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.WeChat.Api;

/// <summary>Builds the OAuth2 web authorisation URL a page redirects to inside WeChat (snsapi_base by default).</summary>
public sealed class OAuthAuthorizeUrl(IOptionsMonitor<WeChatOptions> options)
{
    /// <summary>Silent authorisation: only the OpenID, no consent page.</summary>
    public const string BaseScope = "snsapi_base";

    /// <summary>The authorise URL for an account; WeChat redirects to <paramref name="redirectUri"/> with <c>code</c> and <c>state</c>.</summary>
    public Uri Create(string account, Uri redirectUri, string state, string scope = BaseScope)
    {
        ArgumentNullException.ThrowIfNull(redirectUri);
        var o = options.CurrentValue;
        if (!o.Accounts.TryGetValue(account, out var a))
            throw new ArgumentException($"No WeChat account named '{account}' is configured under {WeChatOptions.SectionName}:Accounts.", nameof(account));
        if (state.Length > 128)
            throw new ArgumentException("WeChat limits state to 128 bytes.", nameof(state));
        var root = o.OAuthBaseAddress.ToString().TrimEnd('/');
        return new Uri($"{root}/connect/oauth2/authorize?appid={Uri.EscapeDataString(a.AppId)}&redirect_uri={Uri.EscapeDataString(redirectUri.ToString())}"
            + $"&response_type=code&scope={Uri.EscapeDataString(scope)}&state={Uri.EscapeDataString(state)}#wechat_redirect");
    }
}
