namespace WeChatAssist.WeChat.Api;

/// <summary>An access token or ticket with its absolute expiry.</summary>
/// <param name="Value">The token.</param>
/// <param name="ExpiresAt">When WeChat stops accepting it.</param>
public sealed record StoredAccessToken(string Value, DateTimeOffset ExpiresAt);

/// <summary>A mini-program page a message can open.</summary>
/// <param name="AppId">The mini-program's app id.</param>
/// <param name="PagePath">Page path with query.</param>
public sealed record MiniProgramPage(string AppId, string PagePath);

/// <summary>A template message (<c>cgi-bin/message/template/send</c>). Since 2023-05 first/remark are not shown; keep fields short.</summary>
/// <param name="ToOpenId">Recipient.</param>
/// <param name="TemplateId">Template id.</param>
/// <param name="Data">Field name → value.</param>
public sealed record TemplateMessage(string ToOpenId, string TemplateId, IReadOnlyDictionary<string, string> Data)
{
    /// <summary>Web page opened by the message.</summary>
    public string? Url { get; init; }

    /// <summary>Mini-program page opened by the message (preferred over <see cref="Url"/>).</summary>
    public MiniProgramPage? MiniProgram { get; init; }

    /// <summary>Idempotency key: WeChat drops a repeated send with the same id.</summary>
    public string? ClientMessageId { get; init; }
}

/// <summary>An official-account subscribe message (<c>cgi-bin/message/subscribe/bizsend</c>).</summary>
/// <param name="ToOpenId">Recipient.</param>
/// <param name="TemplateId">Template id.</param>
/// <param name="Data">Field name → value.</param>
public sealed record SubscribeMessage(string ToOpenId, string TemplateId, IReadOnlyDictionary<string, string> Data)
{
    /// <summary>Web page opened by the message.</summary>
    public string? Page { get; init; }

    /// <summary>Mini-program page opened by the message.</summary>
    public MiniProgramPage? MiniProgram { get; init; }
}

/// <summary>A mini-program subscribe message (<c>cgi-bin/message/subscribe/send</c>).</summary>
/// <param name="ToOpenId">Recipient.</param>
/// <param name="TemplateId">Template id.</param>
/// <param name="Data">Field name → value.</param>
public sealed record MiniProgramSubscribeMessage(string ToOpenId, string TemplateId, IReadOnlyDictionary<string, string> Data)
{
    /// <summary>Mini-program page opened by the message.</summary>
    public string? Page { get; init; }

    /// <summary>developer, trial or formal.</summary>
    public string? MiniProgramState { get; init; }

    /// <summary>zh_CN, en_US, zh_HK or zh_TW.</summary>
    public string? Language { get; init; }
}

/// <summary>Content of a mass send.</summary>
/// <param name="MsgType">text or mpnews.</param>
/// <param name="Content">Text content (text).</param>
/// <param name="MediaId">Published article media id (mpnews).</param>
public sealed record MassMessage(string MsgType, string? Content, string? MediaId)
{
    /// <summary>A text mass message.</summary>
    public static MassMessage Text(string content) => new("text", content, null);

    /// <summary>An article mass message.</summary>
    public static MassMessage News(string mediaId) => new("mpnews", null, mediaId);

    /// <summary>Idempotency key: WeChat refuses a second send with the same id within 24 h.</summary>
    public string? ClientMessageId { get; init; }
}

/// <summary>Ids of an accepted mass send.</summary>
/// <param name="MsgId">Message id, later seen in MASSSENDJOBFINISH.</param>
/// <param name="MsgDataId">Article data id, when sending articles.</param>
public sealed record MassSendResult(long MsgId, long? MsgDataId);

/// <summary>A user tag.</summary>
/// <param name="Id">Tag id.</param>
/// <param name="Name">Tag name.</param>
/// <param name="Count">Followers with the tag (only from tags/get).</param>
public sealed record WeChatTag(int Id, string Name, int Count);

/// <summary>A parametric QR code to create; permanent when <see cref="ExpireSeconds"/> is null.</summary>
/// <param name="Scene">scene_str, at most 64 characters.</param>
/// <param name="ExpireSeconds">Lifetime of a temporary code (up to 30 days), or null for a permanent one.</param>
public sealed record QrCodeRequest(string Scene, int? ExpireSeconds = null);

/// <summary>A created QR code.</summary>
/// <param name="Ticket">Ticket to fetch the image from showqrcode.</param>
/// <param name="ExpireSeconds">Lifetime for temporary codes.</param>
/// <param name="Url">The URL encoded in the QR code.</param>
public sealed record QrCodeTicket(string Ticket, int? ExpireSeconds, string Url)
{
    /// <summary>Where WeChat serves the QR image for this ticket.</summary>
    public Uri ImageUrl => new("https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=" + Uri.EscapeDataString(Ticket));
}

/// <summary>A mini-program login session from <c>sns/jscode2session</c>.</summary>
/// <param name="OpenId">The user's OpenID in the mini-program.</param>
/// <param name="SessionKey">Session key; never send it to the client.</param>
/// <param name="UnionId">UnionID when the app is bound to an open-platform account.</param>
public sealed record MiniProgramSession(string OpenId, string SessionKey, string? UnionId);

/// <summary>An unlimited mini-program code request (<c>wxa/getwxacodeunlimit</c>).</summary>
/// <param name="Scene">Scene, at most 32 visible characters.</param>
public sealed record MiniProgramCodeRequest(string Scene)
{
    /// <summary>Page opened, without a leading slash; null for the home page.</summary>
    public string? Page { get; init; }

    /// <summary>Whether WeChat checks the page exists (false for unpublished pages).</summary>
    public bool CheckPath { get; init; } = true;

    /// <summary>release, trial or develop.</summary>
    public string EnvVersion { get; init; } = "release";

    /// <summary>Image width in pixels (280-1280).</summary>
    public int Width { get; init; } = 430;
}

/// <summary>A URL Link request (<c>wxa/generate_urllink</c>).</summary>
/// <param name="Path">Page path, or null for the home page.</param>
/// <param name="Query">Query string, or null.</param>
public sealed record UrlLinkRequest(string? Path, string? Query)
{
    /// <summary>Days until the link expires (1-30).</summary>
    public int ExpireIntervalDays { get; init; } = 30;

    /// <summary>release, trial or develop.</summary>
    public string EnvVersion { get; init; } = "release";
}

/// <summary>The result of an OAuth2 code exchange (<c>sns/oauth2/access_token</c>).</summary>
/// <param name="OpenId">The user's OpenID.</param>
/// <param name="Scope">Granted scope, e.g. snsapi_base.</param>
/// <param name="AccessToken">Web access token (not the API access token).</param>
/// <param name="ExpiresIn">Its lifetime in seconds.</param>
/// <param name="RefreshToken">Refresh token.</param>
/// <param name="UnionId">UnionID when available.</param>
/// <param name="IsSnapshotUser">True for a "snapshot" visitor from the Moments preview who has not really authorised.</param>
public sealed record OAuthAccessToken(string OpenId, string Scope, string AccessToken, int ExpiresIn, string RefreshToken, string? UnionId, bool IsSnapshotUser);

/// <summary>What a page needs for <c>wx.config</c>.</summary>
/// <param name="AppId">The account's app id.</param>
/// <param name="Timestamp">Unix seconds.</param>
/// <param name="NonceStr">Random string.</param>
/// <param name="Signature">JS-SDK signature.</param>
public sealed record JsSdkConfig(string AppId, long Timestamp, string NonceStr, string Signature);

/// <summary>One button of an official account's custom menu (自定义菜单): a <c>click</c> button sends its
/// <paramref name="Key"/> in a CLICK event, a <c>view</c> button opens <paramref name="Url"/>; a button with
/// <paramref name="SubButtons"/> opens a sub-menu and has no type.</summary>
/// <param name="Name">The label.</param>
/// <param name="Type"><c>click</c>, <c>view</c> (or another type WeChat knows), or null for a sub-menu.</param>
/// <param name="Key">The CLICK event key.</param>
/// <param name="Url">The VIEW link.</param>
/// <param name="SubButtons">Up to five sub-buttons, or null.</param>
public sealed record WeChatMenuButton(string Name, string? Type = null, string? Key = null, string? Url = null, IReadOnlyList<WeChatMenuButton>? SubButtons = null);
/// <summary>What <c>cgi-bin/user/info</c> tells about a follower.</summary>
/// <param name="OpenId">The follower's OpenID on the account.</param>
/// <param name="Subscribed">False when the person does not follow the account (then nothing else is given).</param>
/// <param name="UnionId">The UnionID, only when the account is bound to an open-platform account.</param>
/// <param name="Language">WeChat's language setting (zh_CN, zh_TW, zh_HK, en), when given.</param>
public sealed record WeChatUserInfo(string OpenId, bool Subscribed, string? UnionId, string? Language);
