using System.Text.Json.Serialization;

namespace WeChatAssist.WeChat.Api;

// Wire shapes of WeChat's JSON. Property names map through snake_case (Touser → touser, TemplateId → template_id).
#pragma warning disable CA1812, CA1056, CA2227

internal class WireResponse
{
    public int Errcode { get; set; }

    public string? Errmsg { get; set; }
}

internal sealed class StableTokenRequest
{
    public string GrantType { get; set; } = "client_credential";

    public string Appid { get; set; } = string.Empty;

    public string Secret { get; set; } = string.Empty;

    public bool ForceRefresh { get; set; }
}

internal sealed class AccessTokenResponse : WireResponse
{
    public string? AccessToken { get; set; }

    public int ExpiresIn { get; set; }
}

internal sealed class TicketResponse : WireResponse
{
    public string? Ticket { get; set; }

    public int ExpiresIn { get; set; }
}

internal sealed class WireText
{
    public string Content { get; set; } = string.Empty;
}

internal sealed class WireArticle
{
    public string Title { get; set; } = string.Empty;

    public string Description { get; set; } = string.Empty;

    public string Url { get; set; } = string.Empty;

    public string Picurl { get; set; } = string.Empty;
}

internal sealed class WireNews
{
    public List<WireArticle> Articles { get; set; } = [];
}

internal sealed class CustomMessageRequest
{
    public string Touser { get; set; } = string.Empty;

    public string Msgtype { get; set; } = string.Empty;

    public WireText? Text { get; set; }

    public WireNews? News { get; set; }
}

internal sealed class WireValue
{
    public string Value { get; set; } = string.Empty;
}

internal sealed class WireMiniProgram
{
    public string Appid { get; set; } = string.Empty;

    public string Pagepath { get; set; } = string.Empty;
}

internal sealed class TemplateSendRequest
{
    public string Touser { get; set; } = string.Empty;

    public string TemplateId { get; set; } = string.Empty;

    public string? Url { get; set; }

    public WireMiniProgram? Miniprogram { get; set; }

    public string? ClientMsgId { get; set; }

    public Dictionary<string, WireValue> Data { get; set; } = [];
}

internal sealed class TemplateSendResponse : WireResponse
{
    public long Msgid { get; set; }
}

internal sealed class BizSendRequest
{
    public string Touser { get; set; } = string.Empty;

    public string TemplateId { get; set; } = string.Empty;

    public string? Page { get; set; }

    public WireMiniProgram? Miniprogram { get; set; }

    public Dictionary<string, WireValue> Data { get; set; } = [];
}

internal sealed class MiniSubscribeSendRequest
{
    public string Touser { get; set; } = string.Empty;

    public string TemplateId { get; set; } = string.Empty;

    public string? Page { get; set; }

    public string? MiniprogramState { get; set; }

    public string? Lang { get; set; }

    public Dictionary<string, WireValue> Data { get; set; } = [];
}

internal sealed class WireMediaId
{
    public string MediaId { get; set; } = string.Empty;
}

internal sealed class WireFilter
{
    public bool IsToAll { get; set; }

    public int TagId { get; set; }
}

internal sealed class MassSendAllRequest
{
    public WireFilter Filter { get; set; } = new();

    public string Msgtype { get; set; } = string.Empty;

    public WireText? Text { get; set; }

    public WireMediaId? Mpnews { get; set; }

    public int? SendIgnoreReprint { get; set; }

    public string? Clientmsgid { get; set; }
}

internal sealed class MassSendRequest
{
    public List<string> Touser { get; set; } = [];

    public string Msgtype { get; set; } = string.Empty;

    public WireText? Text { get; set; }

    public WireMediaId? Mpnews { get; set; }

    public int? SendIgnoreReprint { get; set; }

    public string? Clientmsgid { get; set; }
}

internal sealed class MassSendResponse : WireResponse
{
    public long MsgId { get; set; }

    public long? MsgDataId { get; set; }
}

internal sealed class WireTag
{
    public int Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public int Count { get; set; }
}

internal sealed class TagCreateRequest
{
    public WireTag Tag { get; set; } = new();
}

internal sealed class TagCreateResponse : WireResponse
{
    public WireTag? Tag { get; set; }
}

internal sealed class TagsGetResponse : WireResponse
{
    public List<WireTag>? Tags { get; set; }
}

internal sealed class BatchTaggingRequest
{
    public List<string> OpenidList { get; set; } = [];

    public int Tagid { get; set; }
}

internal sealed class WireScene
{
    public string SceneStr { get; set; } = string.Empty;
}

internal sealed class WireActionInfo
{
    public WireScene Scene { get; set; } = new();
}

internal sealed class QrCodeCreateRequest
{
    public int? ExpireSeconds { get; set; }

    public string ActionName { get; set; } = string.Empty;

    public WireActionInfo ActionInfo { get; set; } = new();
}

internal sealed class QrCodeCreateResponse : WireResponse
{
    public string? Ticket { get; set; }

    public int? ExpireSeconds { get; set; }

    public string? Url { get; set; }
}

internal sealed class WireMenuButton
{
    public string? Type { get; set; }

    public string Name { get; set; } = string.Empty;

    public string? Key { get; set; }

    public string? Url { get; set; }

    public List<WireMenuButton>? SubButton { get; set; }
}

internal sealed class MenuCreateRequest
{
    public List<WireMenuButton> Button { get; set; } = [];
}

internal sealed class CodeSessionResponse : WireResponse
{
    public string? Openid { get; set; }

    public string? SessionKey { get; set; }

    public string? Unionid { get; set; }
}

internal sealed class WxaCodeRequest
{
    public string Scene { get; set; } = string.Empty;

    public string? Page { get; set; }

    public bool CheckPath { get; set; }

    public string EnvVersion { get; set; } = "release";

    public int Width { get; set; }
}

internal sealed class UrlLinkRequestWire
{
    public string? Path { get; set; }

    public string? Query { get; set; }

    public int ExpireType { get; set; } = 1;

    public int ExpireInterval { get; set; }

    public string EnvVersion { get; set; } = "release";
}

internal sealed class UrlLinkResponse : WireResponse
{
    public string? UrlLink { get; set; }
}

internal sealed class OAuthTokenResponse : WireResponse
{
    public string? AccessToken { get; set; }

    public int ExpiresIn { get; set; }

    public string? RefreshToken { get; set; }

    public string? Openid { get; set; }

    public string? Scope { get; set; }

    public string? Unionid { get; set; }

    public int IsSnapshotuser { get; set; }
}

internal sealed class WireUserInfo : WireResponse
{
    public int Subscribe { get; set; }

    public string? Openid { get; set; }

    public string? Language { get; set; }

    public string? Unionid { get; set; }
}

internal sealed class WireUserListItem
{
    public string Openid { get; set; } = string.Empty;

    public string Lang { get; set; } = "zh_CN";
}

internal sealed class UserInfoBatchRequest
{
    public List<WireUserListItem> UserList { get; set; } = [];
}

internal sealed class UserInfoBatchResponse : WireResponse
{
    public List<WireUserInfo>? UserInfoList { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(WireResponse))]
[JsonSerializable(typeof(StableTokenRequest))]
[JsonSerializable(typeof(AccessTokenResponse))]
[JsonSerializable(typeof(TicketResponse))]
[JsonSerializable(typeof(CustomMessageRequest))]
[JsonSerializable(typeof(TemplateSendRequest))]
[JsonSerializable(typeof(TemplateSendResponse))]
[JsonSerializable(typeof(BizSendRequest))]
[JsonSerializable(typeof(MiniSubscribeSendRequest))]
[JsonSerializable(typeof(MassSendAllRequest))]
[JsonSerializable(typeof(MassSendRequest))]
[JsonSerializable(typeof(MassSendResponse))]
[JsonSerializable(typeof(TagCreateRequest))]
[JsonSerializable(typeof(TagCreateResponse))]
[JsonSerializable(typeof(TagsGetResponse))]
[JsonSerializable(typeof(BatchTaggingRequest))]
[JsonSerializable(typeof(QrCodeCreateRequest))]
[JsonSerializable(typeof(QrCodeCreateResponse))]
[JsonSerializable(typeof(CodeSessionResponse))]
[JsonSerializable(typeof(WxaCodeRequest))]
[JsonSerializable(typeof(UrlLinkRequestWire))]
[JsonSerializable(typeof(UrlLinkResponse))]
[JsonSerializable(typeof(OAuthTokenResponse))]
[JsonSerializable(typeof(MenuCreateRequest))]
[JsonSerializable(typeof(WireUserInfo))]
[JsonSerializable(typeof(UserInfoBatchRequest))]
[JsonSerializable(typeof(UserInfoBatchResponse))]
internal sealed partial class WeChatJsonContext : JsonSerializerContext;
