using System.Globalization;

namespace WeChatAssist.WeChat.Messages;

/// <summary>Turns pushed XML into typed <see cref="InboundMessage"/> records.</summary>
public static class InboundMessageParser
{
    /// <summary>Parses with the default limits.</summary>
    public static bool TryParse(string xml, out InboundMessage? message, out string? error) =>
        TryParse(xml, WeChatXmlLimits.Default, out message, out error);

    /// <summary>Parses a pushed message; false with a reason when the XML is malformed or lacks the common fields.</summary>
    public static bool TryParse(string xml, WeChatXmlLimits limits, out InboundMessage? message, out string? error)
    {
        message = null;
        if (!WeChatXmlReader.TryParse(xml, limits, out var root, out error))
            return false;
        return TryCreate(root!, xml, out message, out error);
    }

    /// <summary>Builds the typed message from a parsed document.</summary>
    public static bool TryCreate(WeChatXmlElement root, string rawXml, out InboundMessage? message, out string? error)
    {
        ArgumentNullException.ThrowIfNull(root);
        message = null;
        var to = root.ChildValue("ToUserName");
        var from = root.ChildValue("FromUserName");
        var type = root.ChildValue("MsgType");
        if (string.IsNullOrEmpty(to) || string.IsNullOrEmpty(from) || string.IsNullOrEmpty(type))
        {
            error = "ToUserName, FromUserName and MsgType are required";
            return false;
        }
        if (!long.TryParse(root.ChildValue("CreateTime"), NumberStyles.None, CultureInfo.InvariantCulture, out var created))
        {
            error = "CreateTime is not a number";
            return false;
        }

        var c = new Common(to, from, created, type, rawXml, root);
        message = type switch
        {
            "event" => CreateEvent(c),
            "text" => new TextMessage { Content = Field(root, "Content") }.With(c),
            "image" => new ImageMessage { PicUrl = Field(root, "PicUrl"), MediaId = Field(root, "MediaId") }.With(c),
            "voice" => new VoiceMessage
            {
                MediaId = Field(root, "MediaId"),
                Format = Field(root, "Format"),
                Recognition = root.ChildValue("Recognition"),
            }.With(c),
            "location" => new LocationMessage
            {
                Latitude = Number(root, "Location_X"),
                Longitude = Number(root, "Location_Y"),
                Scale = (int)Integer(root, "Scale"),
                Label = Field(root, "Label"),
            }.With(c),
            "link" => new LinkMessage
            {
                Title = Field(root, "Title"),
                Description = Field(root, "Description"),
                Url = Field(root, "Url"),
            }.With(c),
            _ => new UnknownMessage().With(c),
        };
        error = null;
        return true;
    }

    private static InboundEvent CreateEvent(Common c)
    {
        var root = c.Root;
        var name = Field(root, "Event");
        var key = Field(root, "EventKey");
        InboundEvent e = name switch
        {
            "subscribe" => new SubscribeEvent
            {
                Scene = key.StartsWith("qrscene_", StringComparison.Ordinal) ? key["qrscene_".Length..] : null,
                Ticket = root.ChildValue("Ticket"),
            },
            "unsubscribe" => new UnsubscribeEvent(),
            "SCAN" => new ScanEvent { Ticket = root.ChildValue("Ticket") },
            "CLICK" => new MenuClickEvent(),
            "VIEW" => new MenuViewEvent { MenuId = root.ChildValue("MenuId") },
            "TEMPLATESENDJOBFINISH" => new TemplateSendJobFinishEvent { MsgId = MsgId(root), Status = Field(root, "Status") },
            "MASSSENDJOBFINISH" => new MassSendJobFinishEvent
            {
                MsgId = MsgId(root),
                Status = Field(root, "Status"),
                TotalCount = Integer(root, "TotalCount"),
                FilterCount = Integer(root, "FilterCount"),
                SentCount = Integer(root, "SentCount"),
                ErrorCount = Integer(root, "ErrorCount"),
            },
            "subscribe_msg_popup_event" => new SubscribeMessagePopupEvent { Choices = Choices(root.Child("SubscribeMsgPopupEvent")) },
            "subscribe_msg_change_event" => new SubscribeMessageChangeEvent { Choices = Choices(root.Child("SubscribeMsgChangeEvent")) },
            "subscribe_msg_sent_event" => new SubscribeMessageSentEvent { Deliveries = Deliveries(root.Child("SubscribeMsgSentEvent")) },
            _ => new UnknownEvent(),
        };
        return e with
        {
            Event = name,
            EventKey = key,
            ToUserName = c.To,
            FromUserName = c.From,
            CreateTime = c.CreateTime,
            MsgType = c.Type,
            RawXml = c.RawXml,
            Root = c.Root,
        };
    }

    private static List<SubscribeMessageChoice> Choices(WeChatXmlElement? container) =>
        Items(container, item => new SubscribeMessageChoice(
            Field(item, "TemplateId"),
            Field(item, "SubscribeStatusString"),
            item.ChildValue("PopupScene")));

    private static List<SubscribeMessageDelivery> Deliveries(WeChatXmlElement? container) =>
        Items(container, item =>
        {
            _ = int.TryParse(item.ChildValue("ErrorCode"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code);
            return new SubscribeMessageDelivery(Field(item, "TemplateId"), MsgId(item), code, Field(item, "ErrorStatus"));
        });

    // The subscribe-message events carry one <List> element per template (a JSON array reads the same way); a
    // mini-program JSON push may carry a single template as an object instead of an array.
    private static List<T> Items<T>(WeChatXmlElement? container, Func<WeChatXmlElement, T> read) =>
        container is null ? []
        : container.Child("TemplateId") is not null ? [read(container)]
        : [.. container.Children.Where(item => item.Name == "List").Select(read)];

    private static string MsgId(WeChatXmlElement root) => root.ChildValue("MsgID") ?? root.ChildValue("MsgId") ?? string.Empty;

    private static string Field(WeChatXmlElement root, string name) => root.ChildValue(name) ?? string.Empty;

    private static long Integer(WeChatXmlElement root, string name) =>
        long.TryParse(root.ChildValue(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static double Number(WeChatXmlElement root, string name) =>
        double.TryParse(root.ChildValue(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static UserMessage With(this UserMessage message, Common c) =>
        message with
        {
            ToUserName = c.To,
            FromUserName = c.From,
            CreateTime = c.CreateTime,
            MsgType = c.Type,
            RawXml = c.RawXml,
            Root = c.Root,
            MsgId = Field(c.Root, "MsgId"),
        };

    private sealed record Common(string To, string From, long CreateTime, string Type, string RawXml, WeChatXmlElement Root);
}
