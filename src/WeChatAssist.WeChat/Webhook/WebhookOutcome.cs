namespace WeChatAssist.WeChat.Webhook;

/// <summary>What the webhook answers: a status code and an optional body.</summary>
internal readonly record struct WebhookOutcome(int StatusCode, string? Body, string ContentType)
{
    public const string PlainText = "text/plain; charset=utf-8";
    public const string Xml = "application/xml; charset=utf-8";

    public static readonly WebhookOutcome Success = new(200, "success", PlainText);
    public static readonly WebhookOutcome NotFound = new(404, null, PlainText);
    public static readonly WebhookOutcome Unauthorized = new(401, null, PlainText);
    public static readonly WebhookOutcome BadRequest = new(400, null, PlainText);
    public static readonly WebhookOutcome TooLarge = new(413, null, PlainText);

    public static WebhookOutcome Text(string body) => new(200, body, PlainText);

    public static WebhookOutcome XmlBody(string body) => new(200, body, Xml);
}
