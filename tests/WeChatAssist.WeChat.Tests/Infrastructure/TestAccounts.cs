using System.Security.Cryptography;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.WeChat.Tests.Infrastructure;

/// <summary>Fresh random account credentials, so no test depends on fixed secrets.</summary>
internal static class TestAccounts
{
    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public static string RandomAesKey() => RandomNumberGenerator.GetString(Base64Alphabet, 43);

    public static string RandomAppId() => "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true);

    public static WeChatAccountOptions Plain() => new()
    {
        AppId = RandomAppId(),
        AppSecret = RandomNumberGenerator.GetHexString(32, lowercase: true),
        Token = RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 20),
        EncodingAESKey = string.Empty,
        PolicyId = "opaque-plain",
    };

    public static WeChatAccountOptions Safe()
    {
        var a = Plain();
        a.EncodingAESKey = RandomAesKey();
        a.PolicyId = "opaque-safe";
        return a;
    }
}
