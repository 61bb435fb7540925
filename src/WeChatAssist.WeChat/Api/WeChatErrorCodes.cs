namespace WeChatAssist.WeChat.Api;

/// <summary>WeChat global return codes this library names, and their classification.</summary>
public static class WeChatErrorCodes
{
    /// <summary>-1: system busy, try again later.</summary>
    public const int SystemBusy = -1;

    /// <summary>40001: invalid credential (AppSecret wrong, or access_token invalid).</summary>
    public const int InvalidCredential = 40001;

    /// <summary>40003: invalid OpenID.</summary>
    public const int InvalidOpenId = 40003;

    /// <summary>40014: invalid access_token.</summary>
    public const int InvalidAccessToken = 40014;

    /// <summary>40029: invalid code (OAuth or js_code).</summary>
    public const int InvalidCode = 40029;

    /// <summary>40037: invalid template_id.</summary>
    public const int InvalidTemplateId = 40037;

    /// <summary>40125: invalid AppSecret.</summary>
    public const int InvalidAppSecret = 40125;

    /// <summary>40163: the code has already been used.</summary>
    public const int CodeAlreadyUsed = 40163;

    /// <summary>41030: invalid mini-program page path.</summary>
    public const int InvalidPage = 41030;

    /// <summary>42001: access_token expired.</summary>
    public const int AccessTokenExpired = 42001;

    /// <summary>43004: the recipient has not followed the account.</summary>
    public const int RequireSubscribe = 43004;

    /// <summary>43101: the user refused (has not subscribed to) this message.</summary>
    public const int UserRefused = 43101;

    /// <summary>45009: daily API quota reached.</summary>
    public const int DailyQuotaReached = 45009;

    /// <summary>45011: API called too frequently (minute quota).</summary>
    public const int TooFrequent = 45011;

    /// <summary>45015: outside the customer-service reply window (48 h after the user's last message).</summary>
    public const int ReplyWindowExpired = 45015;

    /// <summary>45047: too many customer-service messages since the user last wrote.</summary>
    public const int CustomerServiceLimitReached = 45047;

    /// <summary>47003: template data invalid (argument invalid).</summary>
    public const int ArgumentInvalid = 47003;

    /// <summary>61023: the authoriser's refresh_token is invalid; the account must authorise again.</summary>
    public const int RefreshTokenInvalid = 61023;

    /// <summary>Classifies an errcode; unknown codes are permanent so they are never retried blindly.</summary>
    public static WeChatErrorClass Classify(int errorCode) => errorCode switch
    {
        SystemBusy => WeChatErrorClass.Transient,
        InvalidCredential or InvalidAccessToken or AccessTokenExpired => WeChatErrorClass.Token,
        DailyQuotaReached or TooFrequent or CustomerServiceLimitReached or 45028 /* mass-send quota */ or 45030 /* mass frequency */ => WeChatErrorClass.Quota,
        _ => WeChatErrorClass.Permanent,
    };
}
