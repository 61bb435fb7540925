using System.Text;

namespace WeChatAssist.WeChat.Replies;

/// <summary>UTF-8 length rules for WeChat text fields.</summary>
public static class Utf8Text
{
    /// <summary>Longest passive text reply WeChat accepts, in UTF-8 bytes.</summary>
    public const int PassiveReplyMaxBytes = 2048;

    /// <summary>Cuts <paramref name="text"/> to at most <paramref name="maxBytes"/> UTF-8 bytes without splitting a character or surrogate pair.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (text.Length * 3 <= maxBytes)
            return text;

        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            int width;
            int chars;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                width = 4;
                chars = 2;
            }
            else
            {
                // A lone surrogate encodes as U+FFFD (3 bytes).
                width = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                chars = 1;
            }
            if (bytes + width > maxBytes)
                return text[..i];
            bytes += width;
            i += chars;
        }
        return text;
    }

    /// <summary>Removes characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF).</summary>
    public static string RemoveXmlInvalidCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var firstBad = FirstInvalid(text);
        if (firstBad < 0)
            return text;

        var sb = new StringBuilder(text.Length);
        sb.Append(text, 0, firstBad);
        for (var i = firstBad; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    sb.Append(c).Append(text[i + 1]);
                    i++;
                }
                continue;
            }
            if (IsValidSingle(c))
                sb.Append(c);
        }
        return sb.ToString();
    }

    private static int FirstInvalid(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (!IsValidSingle(c))
                return i;
        }
        return -1;
    }

    private static bool IsValidSingle(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && !char.IsSurrogate(c) && c != '\uFFFE' && c != '\uFFFF');
}
