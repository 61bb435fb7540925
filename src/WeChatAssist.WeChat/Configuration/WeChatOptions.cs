using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.WeChat.Configuration;

/// <summary>WeChat settings: the accounts served and protocol limits. Bound from the <c>WeChat</c> section.</summary>
public sealed class WeChatOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WeChat";

    /// <summary>Accounts by route name (the <c>{account}</c> in <c>/wechat/{account}</c>).</summary>
    public Dictionary<string, WeChatAccountOptions> Accounts { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Base address of WeChat's API; point it at the simulator in Development and tests.</summary>
    [Required]
    public Uri ApiBaseAddress { get; set; } = new("https://api.weixin.qq.com/");

    /// <summary>Base address of WeChat's OAuth2 authorise page; the simulator in Development.</summary>
    [Required]
    public Uri OAuthBaseAddress { get; set; } = new("https://open.weixin.qq.com/");

    /// <summary>Timeout of one HTTP call to the API.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan ApiTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts for a call failing transiently (-1, HTTP 5xx, timeouts), including the first.</summary>
    [Range(1, 10)]
    public int ApiMaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; later ones back off exponentially with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ApiRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How far a push's timestamp may be from the real clock before it is rejected as a replay.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest accepted webhook body in bytes; larger ones get 413.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long the handler may take before the webhook answers <c>success</c> and the reply goes out via the customer-service API. WeChat waits 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:04.500")]
    public TimeSpan ReplyBudget { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Upper bound for a handler that has overrun the budget; after it the work is cancelled.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DeferredHandlerTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a processed message id is remembered; WeChat retries within about 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:30", "7.00:00:00")]
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Refresh a token when less than this is left.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenRefreshAhead { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>One official account or mini-program.</summary>
public sealed class WeChatAccountOptions
{
    /// <summary>The app id (wx...).</summary>
    public string AppId { get; set; } = string.Empty;

    /// <summary>The app secret.</summary>
    public string AppSecret { get; set; } = string.Empty;

    /// <summary>The server-configuration token used in signatures.</summary>
    public string Token { get; set; } = string.Empty;

    /// <summary>43-character EncodingAESKey; empty means plaintext mode.</summary>
    public string EncodingAESKey { get; set; } = string.Empty;

    /// <summary>Opaque application data carried through to handlers (e.g. which policy this account serves).</summary>
    public string PolicyId { get; set; } = string.Empty;

    /// <summary>An official account (the default) or a mini-program: which subscribe-message API it sends with, and
    /// which webhook (<c>/wechat/{account}</c> or <c>/wechat-mp/{account}</c>) its pushes belong to.</summary>
    public WeChatAccountKind Kind { get; set; } = WeChatAccountKind.OfficialAccount;

    /// <summary>True when pushes are encrypted (safe or compatible mode).</summary>
    public bool UsesEncryption => EncodingAESKey.Length > 0;
}

/// <summary>What kind of WeChat app an account is.</summary>
public enum WeChatAccountKind
{
    /// <summary>A service or subscription account (公众号).</summary>
    OfficialAccount,

    /// <summary>A mini-program (小程序).</summary>
    MiniProgram,
}
