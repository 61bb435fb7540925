using System.Security.Cryptography;
using System.Text;

namespace WeChatAssist.WeChat.Security;

/// <summary>WeChat request and JS-SDK signatures: SHA-1 over ordinally sorted parts, compared in constant time.</summary>
public static class Signatures
{
    /// <summary>URL signature: sha1 of token, timestamp and nonce sorted ordinally and concatenated.</summary>
    public static string ComputeUrlSignature(string token, string timestamp, string nonce) =>
        Sha1HexOfSorted([token, timestamp, nonce]);

    /// <summary>Safe-mode <c>msg_signature</c>: sha1 of token, timestamp, nonce and the Encrypt field sorted ordinally.</summary>
    public static string ComputeMessageSignature(string token, string timestamp, string nonce, string encrypted) =>
        Sha1HexOfSorted([token, timestamp, nonce, encrypted]);

    /// <summary>Checks a URL signature in constant time.</summary>
    public static bool VerifyUrlSignature(string token, string timestamp, string nonce, string? signature) =>
        FixedTimeEqualsHex(ComputeUrlSignature(token, timestamp, nonce), signature);

    /// <summary>Checks a safe-mode <c>msg_signature</c> in constant time.</summary>
    public static bool VerifyMessageSignature(string token, string timestamp, string nonce, string encrypted, string? signature) =>
        FixedTimeEqualsHex(ComputeMessageSignature(token, timestamp, nonce, encrypted), signature);

    /// <summary>JS-SDK <c>wx.config</c> signature: sha1 of <c>jsapi_ticket=..&amp;noncestr=..&amp;timestamp=..&amp;url=..</c>, the url without its fragment.</summary>
    public static string ComputeJsSdkSignature(string jsApiTicket, string nonceStr, long timestamp, string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var pageUrl = hash >= 0 ? url[..hash] : url;
        var text = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"jsapi_ticket={jsApiTicket}&noncestr={nonceStr}&timestamp={timestamp}&url={pageUrl}");
        return Sha1Hex(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Compares a computed lower-case hex digest with a received one without leaking timing; case-insensitive on the received side.</summary>
    public static bool FixedTimeEqualsHex(string expected, string? received)
    {
        if (received is null || received.Length != expected.Length)
            return false;
        Span<byte> a = stackalloc byte[expected.Length];
        Span<byte> b = stackalloc byte[received.Length];
        for (var i = 0; i < expected.Length; i++)
        {
            a[i] = (byte)expected[i];
            var c = received[i];
            // Fold ASCII upper case to lower case; anything non-ASCII can never match a hex digit.
            b[i] = c is >= 'A' and <= 'Z' ? (byte)(c | 0x20) : c > 0x7F ? (byte)0 : (byte)c;
        }
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string Sha1HexOfSorted(string[] parts)
    {
        Array.Sort(parts, StringComparer.Ordinal);
        var length = 0;
        foreach (var part in parts)
            length += Encoding.UTF8.GetByteCount(part);
        var buffer = length <= 1024 ? stackalloc byte[length] : new byte[length];
        var written = 0;
        foreach (var part in parts)
            written += Encoding.UTF8.GetBytes(part, buffer[written..]);
        return Sha1Hex(buffer);
    }

    private static string Sha1Hex(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[SHA1.HashSizeInBytes];
#pragma warning disable CA5350 // SHA-1 is what the WeChat protocol specifies; it is not our choice.
        SHA1.HashData(data, digest);
#pragma warning restore CA5350
        return Convert.ToHexStringLower(digest);
    }
}
