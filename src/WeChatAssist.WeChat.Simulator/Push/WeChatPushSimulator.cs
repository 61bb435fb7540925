using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Messages;
using WeChatAssist.WeChat.Security;

namespace WeChatAssist.WeChat.Simulator.Push;

/// <summary>The answer of a webhook to a simulated push.</summary>
/// <param name="StatusCode">HTTP status.</param>
/// <param name="Body">Raw response body.</param>
/// <param name="ReplyXml">The passive reply XML (decrypted in safe mode), or null for <c>success</c>/empty/errors.</param>
/// <param name="ReplySignatureValid">In safe mode, whether the reply's MsgSignature verified; null otherwise.</param>
public sealed record WeChatPushResult(int StatusCode, string Body, string? ReplyXml, bool? ReplySignatureValid)
{
    /// <summary>The reply parsed as XML, when there is one.</summary>
    public WeChatXmlElement? Reply => ReplyXml is not null && WeChatXmlReader.TryParse(ReplyXml, WeChatXmlLimits.Default, out var root, out _) ? root : null;

    /// <summary>The text content of a text reply, or null.</summary>
    public string? ReplyText => Reply?.ChildValue("Content");
}

/// <summary>
/// Plays WeChat's side of the webhook: builds pushes and signs (and optionally encrypts) them exactly as WeChat does,
/// then POSTs them to a webhook URL. Used by the simulator chat page and by tests.
/// </summary>
public sealed class WeChatPushSimulator
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    /// <summary>Creates a push simulator sending through <paramref name="http"/>.</summary>
    public WeChatPushSimulator(HttpClient http, TimeProvider? time = null)
    {
        _http = http;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>XML of a text message.</summary>
    public static string TextMessage(string accountOriginalId, string fromOpenId, string content, long msgId, long createTime) =>
        Xml(accountOriginalId, fromOpenId, createTime, "text", ("Content", content), ("MsgId", Invariant(msgId)));

    /// <summary>XML of an event push.</summary>
    public static string Event(string accountOriginalId, string fromOpenId, string eventName, string? eventKey, long createTime, params (string Name, string Value)[] extra)
    {
        var fields = new List<(string, string)> { ("Event", eventName) };
        if (eventKey is not null)
            fields.Add(("EventKey", eventKey));
        fields.AddRange(extra);
        return Xml(accountOriginalId, fromOpenId, createTime, "event", [.. fields]);
    }

    /// <summary>XML with the common header and the given flat fields.</summary>
    public static string Xml(string toUserName, string fromUserName, long createTime, string msgType, params (string Name, string Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var sb = new StringBuilder("<xml>");
        Element(sb, "ToUserName", toUserName);
        Element(sb, "FromUserName", fromUserName);
        sb.Append("<CreateTime>").Append(Invariant(createTime)).Append("</CreateTime>");
        Element(sb, "MsgType", msgType);
        foreach (var (name, value) in fields)
            Element(sb, name, value);
        return sb.Append("</xml>").ToString();
    }

    /// <summary>JSON of a mini-program push (the format chosen in the mini-program console): the common header and
    /// the given fields; a field's value may be any JSON node (e.g. the array of a subscribe-message event).</summary>
    public static string Json(string toUserName, string fromUserName, long createTime, string msgType, params (string Name, JsonNode? Value)[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var o = new JsonObject
        {
            ["ToUserName"] = toUserName,
            ["FromUserName"] = fromUserName,
            ["CreateTime"] = createTime,
            ["MsgType"] = msgType,
        };
        foreach (var (name, value) in fields)
            o[name] = value;
        return o.ToJsonString();
    }

    /// <summary>JSON of a mini-program customer-service text message.</summary>
    public static string MiniProgramText(string originalId, string fromOpenId, string content, long msgId, long createTime) =>
        Json(originalId, fromOpenId, createTime, "text", ("Content", content), ("MsgId", msgId));

    /// <summary>JSON of a mini-program <c>subscribe_msg_popup_event</c>: one entry per template, accept or reject.</summary>
    public static string MiniProgramSubscribePopup(string originalId, string fromOpenId, long createTime, params (string TemplateId, string Status)[] choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var list = new JsonArray();
        foreach (var (template, status) in choices)
            list.Add(new JsonObject { ["TemplateId"] = template, ["SubscribeStatusString"] = status, ["PopupScene"] = "0" });
        return Json(originalId, fromOpenId, createTime, "event", ("Event", "subscribe_msg_popup_event"), ("SubscribeMsgPopupEvent", list));
    }

    /// <summary>Signs and POSTs a mini-program JSON push; in safe mode the body is <c>{"ToUserName", "Encrypt"}</c> and
    /// the query carries <c>msg_signature</c>, as WeChat sends it. Mini-programs never get a passive reply.</summary>
    public async Task<(int StatusCode, string Body)> PushJsonAsync(Uri webhook, WeChatAccountOptions account, string messageJson, bool encrypt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(account);
        var message = JsonNode.Parse(messageJson) as JsonObject ?? throw new ArgumentException("A push is a JSON object.", nameof(messageJson));
        var (timestamp, nonce) = Fresh();
        var openId = message["FromUserName"]?.GetValue<string>() ?? string.Empty;
        var query = $"signature={Signatures.ComputeUrlSignature(account.Token, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid={Uri.EscapeDataString(openId)}";
        var body = messageJson;
        if (encrypt)
        {
            using var cipher = new SafeModeCipher(account.EncodingAESKey, account.AppId);
            var encrypted = cipher.Encrypt(messageJson);
            query += $"&encrypt_type=aes&msg_signature={Signatures.ComputeMessageSignature(account.Token, timestamp, nonce, encrypted)}";
            body = new JsonObject { ["ToUserName"] = message["ToUserName"]?.GetValue<string>(), ["Encrypt"] = encrypted }.ToJsonString();
        }

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(Append(webhook, query), content, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>URL verification: a signed GET with <paramref name="echoStr"/>.</summary>
    public async Task<(int StatusCode, string Body)> VerifyUrlAsync(Uri webhook, string token, string echoStr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var (timestamp, nonce) = Fresh();
        var signature = Signatures.ComputeUrlSignature(token, timestamp, nonce);
        var uri = Append(webhook, $"signature={signature}&timestamp={timestamp}&nonce={nonce}&echostr={Uri.EscapeDataString(echoStr)}");
        using var response = await _http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Signs and POSTs a message; encrypted (safe mode) when <paramref name="encrypt"/> is true. Decrypts the reply.</summary>
    public async Task<WeChatPushResult> PushAsync(Uri webhook, WeChatAccountOptions account, string messageXml, bool encrypt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(account);
        var (timestamp, nonce) = Fresh();
        var openId = ExtractFrom(messageXml);
        var signature = Signatures.ComputeUrlSignature(account.Token, timestamp, nonce);
        var query = $"signature={signature}&timestamp={timestamp}&nonce={nonce}&openid={Uri.EscapeDataString(openId)}";
        string body;
        using var cipher = encrypt ? new SafeModeCipher(account.EncodingAESKey, account.AppId) : null;
        if (cipher is not null)
        {
            var encrypted = cipher.Encrypt(messageXml);
            var msgSignature = Signatures.ComputeMessageSignature(account.Token, timestamp, nonce, encrypted);
            query += $"&encrypt_type=aes&msg_signature={msgSignature}";
            var sb = new StringBuilder("<xml>");
            Element(sb, "ToUserName", ExtractTo(messageXml));
            Element(sb, "Encrypt", encrypted);
            body = sb.Append("</xml>").ToString();
        }
        else
        {
            body = messageXml;
        }

        using var content = new StringContent(body, Encoding.UTF8, "text/xml");
        using var response = await _http.PostAsync(Append(webhook, query), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status != 200 || !text.StartsWith("<xml>", StringComparison.Ordinal))
            return new WeChatPushResult(status, text, null, null);
        if (cipher is null)
            return new WeChatPushResult(status, text, text, null);

        // Safe-mode reply: verify its signature and decrypt it, as WeChat would.
        if (!WeChatXmlReader.TryParse(text, WeChatXmlLimits.Default, out var envelope, out _))
            return new WeChatPushResult(status, text, null, false);
        var replyEncrypt = envelope!.ChildValue("Encrypt") ?? string.Empty;
        var valid = Signatures.VerifyMessageSignature(account.Token, envelope.ChildValue("TimeStamp") ?? string.Empty,
            envelope.ChildValue("Nonce") ?? string.Empty, replyEncrypt, envelope.ChildValue("MsgSignature"));
        return cipher.TryDecrypt(replyEncrypt, out var replyXml, out _)
            ? new WeChatPushResult(status, text, replyXml, valid)
            : new WeChatPushResult(status, text, null, false);
    }

    private (string Timestamp, string Nonce) Fresh() =>
        (Invariant(_time.GetUtcNow().ToUnixTimeSeconds()), Invariant(RandomNumberGenerator.GetInt32(100_000_000, int.MaxValue)));

    private static Uri Append(Uri webhook, string query) =>
        new(webhook + (string.IsNullOrEmpty(webhook.Query) ? "?" : "&") + query);

    private static string ExtractFrom(string xml) =>
        WeChatXmlReader.TryParse(xml, WeChatXmlLimits.Default, out var root, out _) ? root!.ChildValue("FromUserName") ?? string.Empty : string.Empty;

    private static string ExtractTo(string xml) =>
        WeChatXmlReader.TryParse(xml, WeChatXmlLimits.Default, out var root, out _) ? root!.ChildValue("ToUserName") ?? string.Empty : string.Empty;

    private static void Element(StringBuilder sb, string name, string value)
    {
        sb.Append('<').Append(name).Append("><![CDATA[")
            .Append(value.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal))
            .Append("]]></").Append(name).Append('>');
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
