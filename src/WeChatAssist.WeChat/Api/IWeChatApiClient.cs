using WeChatAssist.WeChat.Replies;

namespace WeChatAssist.WeChat.Api;

/// <summary>
/// Typed WeChat API calls; <c>account</c> is the configured account name. Failures (WeChat errors, HTTP, timeouts, a broken
/// token store) come back classified, never thrown; only cancellation and an unknown account name (a programming error) throw.
/// </summary>
public interface IWeChatApiClient
{
    /// <summary>Sends a customer-service message (text or one news card) inside the reply window (<c>cgi-bin/message/custom/send</c>).</summary>
    Task<WeChatResult<WeChatOk>> SendCustomerServiceMessageAsync(string account, string openId, WeChatReply message, CancellationToken cancellationToken);

    /// <summary>Sends a template message; returns its msgid (<c>cgi-bin/message/template/send</c>).</summary>
    Task<WeChatResult<long>> SendTemplateMessageAsync(string account, TemplateMessage message, CancellationToken cancellationToken);

    /// <summary>Sends an official-account subscribe message (<c>cgi-bin/message/subscribe/bizsend</c>).</summary>
    Task<WeChatResult<WeChatOk>> SendSubscribeMessageAsync(string account, SubscribeMessage message, CancellationToken cancellationToken);

    /// <summary>Sends a mini-program subscribe message (<c>cgi-bin/message/subscribe/send</c>).</summary>
    Task<WeChatResult<WeChatOk>> SendMiniProgramSubscribeMessageAsync(string account, MiniProgramSubscribeMessage message, CancellationToken cancellationToken);

    /// <summary>Mass-sends to the followers carrying a tag (<c>cgi-bin/message/mass/sendall</c>).</summary>
    Task<WeChatResult<MassSendResult>> MassSendByTagAsync(string account, int tagId, MassMessage message, CancellationToken cancellationToken);

    /// <summary>Mass-sends to a list of OpenIDs, 2 to 10,000 (<c>cgi-bin/message/mass/send</c>).</summary>
    Task<WeChatResult<MassSendResult>> MassSendToOpenIdsAsync(string account, IReadOnlyList<string> openIds, MassMessage message, CancellationToken cancellationToken);

    /// <summary>Creates a user tag (<c>cgi-bin/tags/create</c>).</summary>
    Task<WeChatResult<WeChatTag>> CreateTagAsync(string account, string name, CancellationToken cancellationToken);

    /// <summary>Lists user tags (<c>cgi-bin/tags/get</c>).</summary>
    Task<WeChatResult<IReadOnlyList<WeChatTag>>> GetTagsAsync(string account, CancellationToken cancellationToken);

    /// <summary>Tags up to 50 followers at once (<c>cgi-bin/tags/members/batchtagging</c>).</summary>
    Task<WeChatResult<WeChatOk>> BatchTagAsync(string account, int tagId, IReadOnlyList<string> openIds, CancellationToken cancellationToken);

    /// <summary>Creates a parametric QR code with a string scene (<c>cgi-bin/qrcode/create</c>).</summary>
    Task<WeChatResult<QrCodeTicket>> CreateQrCodeAsync(string account, QrCodeRequest request, CancellationToken cancellationToken);

    /// <summary>Replaces the account's custom menu with up to three buttons (<c>cgi-bin/menu/create</c>).</summary>
    Task<WeChatResult<WeChatOk>> CreateMenuAsync(string account, IReadOnlyList<WeChatMenuButton> buttons, CancellationToken cancellationToken);

    /// <summary>Exchanges a mini-program login code for a session (<c>sns/jscode2session</c>).</summary>
    Task<WeChatResult<MiniProgramSession>> CodeToSessionAsync(string account, string jsCode, CancellationToken cancellationToken);

    /// <summary>Creates an unlimited mini-program code image (<c>wxa/getwxacodeunlimit</c>).</summary>
    Task<WeChatResult<byte[]>> GetUnlimitedMiniProgramCodeAsync(string account, MiniProgramCodeRequest request, CancellationToken cancellationToken);

    /// <summary>Creates a URL Link that opens the mini-program (<c>wxa/generate_urllink</c>).</summary>
    Task<WeChatResult<string>> GenerateUrlLinkAsync(string account, UrlLinkRequest request, CancellationToken cancellationToken);

    /// <summary>Fetches a new JS-SDK ticket (<c>cgi-bin/ticket/getticket?type=jsapi</c>); prefer the cached <c>JsApiTicketProvider</c>.</summary>
    Task<WeChatResult<StoredAccessToken>> GetJsApiTicketAsync(string account, CancellationToken cancellationToken);

    /// <summary>A follower's basic information, with the unionid when the account is bound to an open-platform account (<c>cgi-bin/user/info</c>).</summary>
    Task<WeChatResult<WeChatUserInfo>> GetUserInfoAsync(string account, string openId, CancellationToken cancellationToken);

    /// <summary>Basic information of up to 100 followers at once (<c>cgi-bin/user/info/batchget</c>).</summary>
    Task<WeChatResult<IReadOnlyList<WeChatUserInfo>>> BatchGetUserInfoAsync(string account, IReadOnlyList<string> openIds, CancellationToken cancellationToken);

    /// <summary>Exchanges an OAuth2 snsapi_base/snsapi_userinfo code for the user's OpenID (<c>sns/oauth2/access_token</c>).</summary>
    Task<WeChatResult<OAuthAccessToken>> ExchangeOAuthCodeAsync(string account, string code, CancellationToken cancellationToken);
}
