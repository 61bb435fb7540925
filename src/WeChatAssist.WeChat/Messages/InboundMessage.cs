namespace WeChatAssist.WeChat.Messages;

/// <summary>Keeps de-duplication keys short enough for a database key column.</summary>
internal static class DeduplicationKeys
{
    public const int MaxLength = 200;

    /// <summary>The key itself, or a SHA-256 of it when longer than <see cref="MaxLength"/> (e.g. a long VIEW URL).</summary>
    public static string Bounded(string key) =>
        key.Length <= MaxLength
            ? key
            : "sha256|" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}

/// <summary>A message or event WeChat pushed to the webhook; the raw XML is always kept.</summary>
public abstract record InboundMessage
{
    /// <summary>The account's original id (gh_...).</summary>
    public string ToUserName { get; init; } = string.Empty;

    /// <summary>The sender's OpenID.</summary>
    public string FromUserName { get; init; } = string.Empty;

    /// <summary>Unix seconds when WeChat created the message.</summary>
    public long CreateTime { get; init; }

    /// <summary>The MsgType field as sent (text, image, voice, location, link, event, ...).</summary>
    public string MsgType { get; init; } = string.Empty;

    /// <summary>The decrypted XML as received, for logging and unknown types.</summary>
    public string RawXml { get; init; } = string.Empty;

    /// <summary>The parsed document, for fields the typed model does not expose.</summary>
    public WeChatXmlElement Root { get; init; } = WeChatXmlElement.Empty;

    /// <summary>The de-duplication key: (FromUserName, MsgId) for messages, (FromUserName, CreateTime, Event, EventKey) for events.</summary>
    public abstract string DeduplicationKey { get; }
}

/// <summary>A user message (not an event), identified by its MsgId.</summary>
public abstract record UserMessage : InboundMessage
{
    /// <summary>WeChat's 64-bit message id, kept as text.</summary>
    public string MsgId { get; init; } = string.Empty;

    /// <inheritdoc />
    public override string DeduplicationKey => DeduplicationKeys.Bounded(MsgId.Length > 0
        ? $"msg|{FromUserName}|{MsgId}"
        : $"msg|{FromUserName}|{CreateTime}|{MsgType}");
}

/// <summary>A text message.</summary>
public sealed record TextMessage : UserMessage
{
    /// <summary>What the user typed.</summary>
    public required string Content { get; init; }
}

/// <summary>An image message.</summary>
public sealed record ImageMessage : UserMessage
{
    /// <summary>Temporary URL of the picture.</summary>
    public required string PicUrl { get; init; }

    /// <summary>Media id to download the picture.</summary>
    public required string MediaId { get; init; }
}

/// <summary>A voice message; <see cref="Recognition"/> is being retired by WeChat, so never depend on it.</summary>
public sealed record VoiceMessage : UserMessage
{
    /// <summary>Media id of the recording.</summary>
    public required string MediaId { get; init; }

    /// <summary>Audio format, e.g. amr or speex.</summary>
    public required string Format { get; init; }

    /// <summary>Speech-to-text result when WeChat still sends it; null otherwise.</summary>
    public string? Recognition { get; init; }
}

/// <summary>A location the user shared.</summary>
public sealed record LocationMessage : UserMessage
{
    /// <summary>Latitude (Location_X).</summary>
    public required double Latitude { get; init; }

    /// <summary>Longitude (Location_Y).</summary>
    public required double Longitude { get; init; }

    /// <summary>Map zoom level.</summary>
    public required int Scale { get; init; }

    /// <summary>Place description.</summary>
    public required string Label { get; init; }
}

/// <summary>A link the user shared.</summary>
public sealed record LinkMessage : UserMessage
{
    /// <summary>Link title.</summary>
    public required string Title { get; init; }

    /// <summary>Link description.</summary>
    public required string Description { get; init; }

    /// <summary>Link target.</summary>
    public required string Url { get; init; }
}

/// <summary>A message type this library does not model; see <see cref="InboundMessage.RawXml"/>.</summary>
public sealed record UnknownMessage : UserMessage;

/// <summary>An event push (MsgType <c>event</c>).</summary>
public abstract record InboundEvent : InboundMessage
{
    /// <summary>The Event field as sent.</summary>
    public string Event { get; init; } = string.Empty;

    /// <summary>The EventKey field, empty when absent.</summary>
    public string EventKey { get; init; } = string.Empty;

    /// <inheritdoc />
    public override string DeduplicationKey => DeduplicationKeys.Bounded($"evt|{FromUserName}|{CreateTime}|{Event}|{EventKey}");
}

/// <summary>The user followed the account, possibly by scanning a parametric QR code.</summary>
public sealed record SubscribeEvent : InboundEvent
{
    /// <summary>The QR scene without its <c>qrscene_</c> prefix when the follow came from a parametric code; otherwise null.</summary>
    public string? Scene { get; init; }

    /// <summary>The QR code ticket, when present.</summary>
    public string? Ticket { get; init; }
}

/// <summary>The user unfollowed the account.</summary>
public sealed record UnsubscribeEvent : InboundEvent;

/// <summary>A follower scanned a parametric QR code (SCAN).</summary>
public sealed record ScanEvent : InboundEvent
{
    /// <summary>The QR scene (the EventKey).</summary>
    public string Scene => EventKey;

    /// <summary>The QR code ticket, when present.</summary>
    public string? Ticket { get; init; }
}

/// <summary>A click on a menu button of type click (CLICK).</summary>
public sealed record MenuClickEvent : InboundEvent;

/// <summary>A click on a menu link (VIEW); EventKey is the URL.</summary>
public sealed record MenuViewEvent : InboundEvent
{
    /// <summary>The menu id, when sent.</summary>
    public string? MenuId { get; init; }
}

/// <summary>Delivery result of a template message (TEMPLATESENDJOBFINISH).</summary>
public sealed record TemplateSendJobFinishEvent : InboundEvent
{
    /// <summary>The template message id (MsgID).</summary>
    public required string MsgId { get; init; }

    /// <summary>success, failed:user block, failed: system failed, ...</summary>
    public required string Status { get; init; }
}

/// <summary>Result of a mass send (MASSSENDJOBFINISH).</summary>
public sealed record MassSendJobFinishEvent : InboundEvent
{
    /// <summary>The mass message id (MsgID).</summary>
    public required string MsgId { get; init; }

    /// <summary>send success, send fail, err(num), ...</summary>
    public required string Status { get; init; }

    /// <summary>Followers targeted.</summary>
    public long TotalCount { get; init; }

    /// <summary>Followers left after filtering.</summary>
    public long FilterCount { get; init; }

    /// <summary>Deliveries that succeeded.</summary>
    public long SentCount { get; init; }

    /// <summary>Deliveries that failed.</summary>
    public long ErrorCount { get; init; }
}

/// <summary>One template in a subscribe-message event list.</summary>
/// <param name="TemplateId">The template id.</param>
/// <param name="SubscribeStatus">accept or reject (SubscribeStatusString).</param>
/// <param name="PopupScene">Where the popup appeared (popup event only).</param>
public sealed record SubscribeMessageChoice(string TemplateId, string SubscribeStatus, string? PopupScene);

/// <summary>One delivery result in a subscribe_msg_sent_event.</summary>
/// <param name="TemplateId">The template id.</param>
/// <param name="MsgId">The message id.</param>
/// <param name="ErrorCode">0 when delivered.</param>
/// <param name="ErrorStatus">success, or why delivery failed.</param>
public sealed record SubscribeMessageDelivery(string TemplateId, string MsgId, int ErrorCode, string ErrorStatus);

/// <summary>The user answered a subscribe-message popup (subscribe_msg_popup_event).</summary>
public sealed record SubscribeMessagePopupEvent : InboundEvent
{
    /// <summary>The user's choice per template.</summary>
    public required IReadOnlyList<SubscribeMessageChoice> Choices { get; init; }
}

/// <summary>The user changed subscribe-message settings (subscribe_msg_change_event).</summary>
public sealed record SubscribeMessageChangeEvent : InboundEvent
{
    /// <summary>The new status per template.</summary>
    public required IReadOnlyList<SubscribeMessageChoice> Choices { get; init; }
}

/// <summary>Delivery results of subscribe messages (subscribe_msg_sent_event).</summary>
public sealed record SubscribeMessageSentEvent : InboundEvent
{
    /// <summary>The result per message.</summary>
    public required IReadOnlyList<SubscribeMessageDelivery> Deliveries { get; init; }
}

/// <summary>An event this library does not model; see <see cref="InboundMessage.RawXml"/>.</summary>
public sealed record UnknownEvent : InboundEvent;
