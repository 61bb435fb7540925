using System.Text.Json.Serialization.Metadata;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Tokens;

namespace WeChatAssist.WeChat.Api;

/// <summary>
/// The WeChat API client: each call gets a shared access token, transient failures are retried by the transport,
/// and a rejected token (40001/42001/40014) is refreshed once and the call retried once.
/// </summary>
internal sealed class WeChatApiClient : IWeChatApiClient
{
    private readonly WeChatTransport _transport;
    private readonly AccessTokenProvider _tokens;
    private readonly WeChatAccountResolver _accounts;
    private readonly TimeProvider _time;

    public WeChatApiClient(WeChatTransport transport, AccessTokenProvider tokens, WeChatAccountResolver accounts, TimeProvider time)
    {
        _transport = transport;
        _tokens = tokens;
        _accounts = accounts;
        _time = time;
    }

    public async Task<WeChatResult<WeChatOk>> SendCustomerServiceMessageAsync(string account, string openId, WeChatReply message, CancellationToken cancellationToken)
    {
        var request = message switch
        {
            TextReply text => new CustomMessageRequest { Touser = openId, Msgtype = "text", Text = new WireText { Content = text.Content } },
            NewsReply news => new CustomMessageRequest
            {
                Touser = openId,
                Msgtype = "news",
                News = new WireNews
                {
                    // The customer-service API accepts a single card.
                    Articles = [.. news.Articles.Take(1).Select(a => new WireArticle { Title = a.Title, Description = a.Description, Url = a.Url, Picurl = a.PicUrl })],
                },
            },
            _ => throw new ArgumentException($"Unsupported message type {message.GetType().Name}.", nameof(message)),
        };
        var result = await PostAsync(account, "cgi-bin/message/custom/send", request, WeChatJsonContext.Default.CustomMessageRequest, WeChatJsonContext.Default.WireResponse, cancellationToken).ConfigureAwait(false);
        return Ok(result);
    }

    public async Task<WeChatResult<long>> SendTemplateMessageAsync(string account, TemplateMessage message, CancellationToken cancellationToken)
    {
        var request = new TemplateSendRequest
        {
            Touser = message.ToOpenId,
            TemplateId = message.TemplateId,
            Url = message.Url,
            Miniprogram = MiniProgram(message.MiniProgram),
            ClientMsgId = message.ClientMessageId,
            Data = Data(message.Data),
        };
        var result = await PostAsync(account, "cgi-bin/message/template/send", request, WeChatJsonContext.Default.TemplateSendRequest, WeChatJsonContext.Default.TemplateSendResponse, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? WeChatResult.Success(result.Value.Msgid) : result.CastError<long>();
    }

    public async Task<WeChatResult<WeChatOk>> SendSubscribeMessageAsync(string account, SubscribeMessage message, CancellationToken cancellationToken)
    {
        var request = new BizSendRequest
        {
            Touser = message.ToOpenId,
            TemplateId = message.TemplateId,
            Page = message.Page,
            Miniprogram = MiniProgram(message.MiniProgram),
            Data = Data(message.Data),
        };
        return Ok(await PostAsync(account, "cgi-bin/message/subscribe/bizsend", request, WeChatJsonContext.Default.BizSendRequest, WeChatJsonContext.Default.WireResponse, cancellationToken).ConfigureAwait(false));
    }

    public async Task<WeChatResult<WeChatOk>> SendMiniProgramSubscribeMessageAsync(string account, MiniProgramSubscribeMessage message, CancellationToken cancellationToken)
    {
        var request = new MiniSubscribeSendRequest
        {
            Touser = message.ToOpenId,
            TemplateId = message.TemplateId,
            Page = message.Page,
            MiniprogramState = message.MiniProgramState,
            Lang = message.Language,
            Data = Data(message.Data),
        };
        return Ok(await PostAsync(account, "cgi-bin/message/subscribe/send", request, WeChatJsonContext.Default.MiniSubscribeSendRequest, WeChatJsonContext.Default.WireResponse, cancellationToken).ConfigureAwait(false));
    }

    public async Task<WeChatResult<MassSendResult>> MassSendByTagAsync(string account, int tagId, MassMessage message, CancellationToken cancellationToken)
    {
        var request = new MassSendAllRequest
        {
            Filter = new WireFilter { IsToAll = false, TagId = tagId },
            Msgtype = message.MsgType,
            Text = message.Content is null ? null : new WireText { Content = message.Content },
            Mpnews = message.MediaId is null ? null : new WireMediaId { MediaId = message.MediaId },
            SendIgnoreReprint = message.MediaId is null ? null : 0,
            Clientmsgid = message.ClientMessageId,
        };
        var result = await PostAsync(account, "cgi-bin/message/mass/sendall", request, WeChatJsonContext.Default.MassSendAllRequest, WeChatJsonContext.Default.MassSendResponse, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? WeChatResult.Success(new MassSendResult(result.Value.MsgId, result.Value.MsgDataId)) : result.CastError<MassSendResult>();
    }

    public async Task<WeChatResult<MassSendResult>> MassSendToOpenIdsAsync(string account, IReadOnlyList<string> openIds, MassMessage message, CancellationToken cancellationToken)
    {
        var request = new MassSendRequest
        {
            Touser = [.. openIds],
            Msgtype = message.MsgType,
            Text = message.Content is null ? null : new WireText { Content = message.Content },
            Mpnews = message.MediaId is null ? null : new WireMediaId { MediaId = message.MediaId },
            SendIgnoreReprint = message.MediaId is null ? null : 0,
            Clientmsgid = message.ClientMessageId,
        };
        var result = await PostAsync(account, "cgi-bin/message/mass/send", request, WeChatJsonContext.Default.MassSendRequest, WeChatJsonContext.Default.MassSendResponse, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? WeChatResult.Success(new MassSendResult(result.Value.MsgId, result.Value.MsgDataId)) : result.CastError<MassSendResult>();
    }

    public async Task<WeChatResult<WeChatTag>> CreateTagAsync(string account, string name, CancellationToken cancellationToken)
    {
        var request = new TagCreateRequest { Tag = new WireTag { Name = name } };
        var result = await PostAsync(account, "cgi-bin/tags/create", request, WeChatJsonContext.Default.TagCreateRequest, WeChatJsonContext.Default.TagCreateResponse, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            return result.CastError<WeChatTag>();
        var tag = result.Value.Tag ?? new WireTag();
        return WeChatResult.Success(new WeChatTag(tag.Id, tag.Name, tag.Count));
    }

    public async Task<WeChatResult<IReadOnlyList<WeChatTag>>> GetTagsAsync(string account, CancellationToken cancellationToken)
    {
        var result = await WithTokenAsync(account, (token, ct) => _transport.SendAsync<object, TagsGetResponse>(
            HttpMethod.Get, "cgi-bin/tags/get?access_token=" + Uri.EscapeDataString(token), null, null, WeChatJsonContext.Default.TagsGetResponse, ct), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            return result.CastError<IReadOnlyList<WeChatTag>>();
        IReadOnlyList<WeChatTag> tags = [.. (result.Value.Tags ?? []).Select(t => new WeChatTag(t.Id, t.Name, t.Count))];
        return WeChatResult.Success(tags);
    }

    public async Task<WeChatResult<WeChatOk>> BatchTagAsync(string account, int tagId, IReadOnlyList<string> openIds, CancellationToken cancellationToken)
    {
        var request = new BatchTaggingRequest { Tagid = tagId, OpenidList = [.. openIds] };
        return Ok(await PostAsync(account, "cgi-bin/tags/members/batchtagging", request, WeChatJsonContext.Default.BatchTaggingRequest, WeChatJsonContext.Default.WireResponse, cancellationToken).ConfigureAwait(false));
    }

    public async Task<WeChatResult<QrCodeTicket>> CreateQrCodeAsync(string account, QrCodeRequest request, CancellationToken cancellationToken)
    {
        var wire = new QrCodeCreateRequest
        {
            ExpireSeconds = request.ExpireSeconds,
            ActionName = request.ExpireSeconds is null ? "QR_LIMIT_STR_SCENE" : "QR_STR_SCENE",
            ActionInfo = new WireActionInfo { Scene = new WireScene { SceneStr = request.Scene } },
        };
        var result = await PostAsync(account, "cgi-bin/qrcode/create", wire, WeChatJsonContext.Default.QrCodeCreateRequest, WeChatJsonContext.Default.QrCodeCreateResponse, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            return result.CastError<QrCodeTicket>();
        return WeChatResult.Success(new QrCodeTicket(result.Value.Ticket ?? string.Empty, result.Value.ExpireSeconds, result.Value.Url ?? string.Empty));
    }

    public async Task<WeChatResult<WeChatOk>> CreateMenuAsync(string account, IReadOnlyList<WeChatMenuButton> buttons, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        var request = new MenuCreateRequest { Button = [.. buttons.Select(Wire)] };
        return Ok(await PostAsync(account, "cgi-bin/menu/create", request, WeChatJsonContext.Default.MenuCreateRequest, WeChatJsonContext.Default.WireResponse, cancellationToken).ConfigureAwait(false));

        static WireMenuButton Wire(WeChatMenuButton button) => new()
        {
            Type = button.Type,
            Name = button.Name,
            Key = button.Key,
            Url = button.Url,
            SubButton = button.SubButtons is null ? null : [.. button.SubButtons.Select(Wire)],
        };
    }

    public async Task<WeChatResult<MiniProgramSession>> CodeToSessionAsync(string account, string jsCode, CancellationToken cancellationToken)
    {
        var a = _accounts.Get(account);
        var uri = $"sns/jscode2session?appid={Uri.EscapeDataString(a.AppId)}&secret={Uri.EscapeDataString(a.AppSecret)}&js_code={Uri.EscapeDataString(jsCode)}&grant_type=authorization_code";
        var result = await _transport.SendAsync<object, CodeSessionResponse>(HttpMethod.Get, uri, null, null, WeChatJsonContext.Default.CodeSessionResponse, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            return result.CastError<MiniProgramSession>();
        return WeChatResult.Success(new MiniProgramSession(result.Value.Openid ?? string.Empty, result.Value.SessionKey ?? string.Empty, result.Value.Unionid));
    }

    public Task<WeChatResult<byte[]>> GetUnlimitedMiniProgramCodeAsync(string account, MiniProgramCodeRequest request, CancellationToken cancellationToken)
    {
        var wire = new WxaCodeRequest { Scene = request.Scene, Page = request.Page, CheckPath = request.CheckPath, EnvVersion = request.EnvVersion, Width = request.Width };
        return WithTokenAsync(account, (token, ct) => _transport.SendForBytesAsync(
            "wxa/getwxacodeunlimit?access_token=" + Uri.EscapeDataString(token), wire, WeChatJsonContext.Default.WxaCodeRequest, ct), cancellationToken);
    }

    public async Task<WeChatResult<string>> GenerateUrlLinkAsync(string account, UrlLinkRequest request, CancellationToken cancellationToken)
    {
        var wire = new UrlLinkRequestWire { Path = request.Path, Query = request.Query, ExpireType = 1, ExpireInterval = request.ExpireIntervalDays, EnvVersion = request.EnvVersion };
        var result = await PostAsync(account, "wxa/generate_urllink", wire, WeChatJsonContext.Default.UrlLinkRequestWire, WeChatJsonContext.Default.UrlLinkResponse, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? WeChatResult.Success(result.Value.UrlLink ?? string.Empty) : result.CastError<string>();
    }

    public async Task<WeChatResult<StoredAccessToken>> GetJsApiTicketAsync(string account, CancellationToken cancellationToken)
    {
        var result = await WithTokenAsync(account, (token, ct) => _transport.SendAsync<object, TicketResponse>(
            HttpMethod.Get, "cgi-bin/ticket/getticket?type=jsapi&access_token=" + Uri.EscapeDataString(token), null, null, WeChatJsonContext.Default.TicketResponse, ct), cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            return result.CastError<StoredAccessToken>();
        if (string.IsNullOrEmpty(result.Value.Ticket) || result.Value.ExpiresIn <= 0)
            return WeChatResult.Failure<StoredAccessToken>(WeChatError.Transport("getticket answered without a ticket"));
        return WeChatResult.Success(new StoredAccessToken(result.Value.Ticket, _time.GetUtcNow().AddSeconds(result.Value.ExpiresIn)));
    }

    public async Task<WeChatResult<WeChatUserInfo>> GetUserInfoAsync(string account, string openId, CancellationToken cancellationToken)
    {
        var result = await WithTokenAsync(account, (token, ct) => _transport.SendAsync<object, WireUserInfo>(
            HttpMethod.Get, $"cgi-bin/user/info?access_token={Uri.EscapeDataString(token)}&openid={Uri.EscapeDataString(openId)}&lang=zh_CN",
            null, null, WeChatJsonContext.Default.WireUserInfo, ct), cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? WeChatResult.Success(UserInfo(result.Value, openId)) : result.CastError<WeChatUserInfo>();
    }

    public async Task<WeChatResult<IReadOnlyList<WeChatUserInfo>>> BatchGetUserInfoAsync(string account, IReadOnlyList<string> openIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openIds);
        if (openIds.Count is 0 or > 100)
            throw new ArgumentException("user/info/batchget takes 1 to 100 OpenIDs.", nameof(openIds));
        var request = new UserInfoBatchRequest { UserList = [.. openIds.Select(o => new WireUserListItem { Openid = o })] };
        var result = await PostAsync(account, "cgi-bin/user/info/batchget", request, WeChatJsonContext.Default.UserInfoBatchRequest, WeChatJsonContext.Default.UserInfoBatchResponse, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            return result.CastError<IReadOnlyList<WeChatUserInfo>>();
        IReadOnlyList<WeChatUserInfo> users = [.. (result.Value.UserInfoList ?? []).Select(u => UserInfo(u, u.Openid ?? string.Empty))];
        return WeChatResult.Success(users);
    }

    private static WeChatUserInfo UserInfo(WireUserInfo wire, string openId) =>
        new(wire.Openid ?? openId, wire.Subscribe == 1, string.IsNullOrEmpty(wire.Unionid) ? null : wire.Unionid, string.IsNullOrEmpty(wire.Language) ? null : wire.Language);

    public async Task<WeChatResult<OAuthAccessToken>> ExchangeOAuthCodeAsync(string account, string code, CancellationToken cancellationToken)
    {
        var a = _accounts.Get(account);
        var uri = $"sns/oauth2/access_token?appid={Uri.EscapeDataString(a.AppId)}&secret={Uri.EscapeDataString(a.AppSecret)}&code={Uri.EscapeDataString(code)}&grant_type=authorization_code";
        var result = await _transport.SendAsync<object, OAuthTokenResponse>(HttpMethod.Get, uri, null, null, WeChatJsonContext.Default.OAuthTokenResponse, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            return result.CastError<OAuthAccessToken>();
        var v = result.Value;
        return WeChatResult.Success(new OAuthAccessToken(v.Openid ?? string.Empty, v.Scope ?? string.Empty, v.AccessToken ?? string.Empty, v.ExpiresIn, v.RefreshToken ?? string.Empty, v.Unionid, v.IsSnapshotuser == 1));
    }

    private Task<WeChatResult<TResponse>> PostAsync<TRequest, TResponse>(string account, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : WireResponse =>
        WithTokenAsync(account, (token, ct) => _transport.SendAsync(HttpMethod.Post, path + "?access_token=" + Uri.EscapeDataString(token), body, requestType, responseType, ct), cancellationToken);

    /// <summary>Runs a call with the shared token; on a token error refreshes once (forcing only if nobody else did) and retries once.</summary>
    private async Task<WeChatResult<T>> WithTokenAsync<T>(string account, Func<string, CancellationToken, Task<WeChatResult<T>>> call, CancellationToken cancellationToken)
    {
        var token = await _tokens.GetAccessTokenAsync(account, cancellationToken).ConfigureAwait(false);
        if (!token.IsSuccess)
            return token.CastError<T>();
        var result = await call(token.Value, cancellationToken).ConfigureAwait(false);
        if (result.Error?.Class != WeChatErrorClass.Token)
            return result;

        var refreshed = await _tokens.RefreshAfterRejectionAsync(account, token.Value, cancellationToken).ConfigureAwait(false);
        if (!refreshed.IsSuccess)
            return refreshed.CastError<T>();
        return await call(refreshed.Value, cancellationToken).ConfigureAwait(false);
    }

    private static WeChatResult<WeChatOk> Ok<T>(WeChatResult<T> result) =>
        result.IsSuccess ? WeChatResult.Success(default(WeChatOk)) : result.CastError<WeChatOk>();

    private static WireMiniProgram? MiniProgram(MiniProgramPage? page) =>
        page is null ? null : new WireMiniProgram { Appid = page.AppId, Pagepath = page.PagePath };

    private static Dictionary<string, WireValue> Data(IReadOnlyDictionary<string, string> data) =>
        data.ToDictionary(kv => kv.Key, kv => new WireValue { Value = kv.Value }, StringComparer.Ordinal);
}
