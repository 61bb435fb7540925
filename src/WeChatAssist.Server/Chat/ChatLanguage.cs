namespace WeChatAssist.Server.Chat;

/// <summary>The language of the answers.</summary>
internal enum ChatLanguage
{
    /// <summary>Simplified Chinese (default).</summary>
    SimplifiedChinese = 0,

    /// <summary>Traditional Chinese (WeChat language zh_TW or zh_HK).</summary>
    TraditionalChinese,

    /// <summary>English.</summary>
    English,
}

/// <summary>Language codes of the template files and of WeChat.</summary>
internal static class ChatLanguages
{
    /// <summary>The file suffix: zh-Hans, zh-Hant or en.</summary>
    public static string Code(ChatLanguage language) => language switch
    {
        ChatLanguage.TraditionalChinese => "zh-Hant",
        ChatLanguage.English => "en",
        _ => "zh-Hans",
    };

    /// <summary>Parses a file suffix.</summary>
    public static ChatLanguage Parse(string code) => code switch
    {
        "zh-Hans" => ChatLanguage.SimplifiedChinese,
        "zh-Hant" => ChatLanguage.TraditionalChinese,
        "en" => ChatLanguage.English,
        _ => throw new InvalidDataException($"Unknown chat language '{code}'."),
    };

    /// <summary>Maps WeChat's user language (zh_CN, zh_TW, zh_HK, en) to an answer language; anything else is Simplified Chinese.</summary>
    public static ChatLanguage FromWeChat(string? language) => language?.Replace('-', '_').ToUpperInvariant() switch
    {
        "ZH_TW" or "ZH_HK" or "ZH_MO" or "ZH_HANT" => ChatLanguage.TraditionalChinese,
        { } l when l.StartsWith("EN", StringComparison.Ordinal) => ChatLanguage.English,
        _ => ChatLanguage.SimplifiedChinese,
    };
}
