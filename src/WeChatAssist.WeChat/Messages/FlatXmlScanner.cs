namespace WeChatAssist.WeChat.Messages;

/// <summary>
/// A fast path for the flat documents WeChat actually sends: <c>&lt;xml&gt;</c> with leaf children holding CDATA or plain
/// text. It accepts only a strict subset of XML that cannot carry a DTD, an entity, a comment, an attribute or nesting;
/// anything else (or anything it is unsure of) is left to the hardened <see cref="System.Xml.XmlReader"/>, so accepted
/// documents parse exactly as the reader would parse them and rejected ones fail exactly as it would fail them.
/// </summary>
internal static class FlatXmlScanner
{
    private const int MaxNameLength = 64;

    /// <summary>The parsed root, or null when the document is not in the simple subset.</summary>
    public static WeChatXmlElement? TryScan(string xml, WeChatXmlLimits limits)
    {
        var s = xml.AsSpan();
        var i = SkipSpace(s, 0);
        if (!s[i..].StartsWith("<xml>", StringComparison.Ordinal))
            return null;
        i += 5;
        var children = new List<WeChatXmlElement>(8);
        while (true)
        {
            i = SkipSpace(s, i);
            if (i >= s.Length)
                return null;
            if (s[i..].StartsWith("</xml>", StringComparison.Ordinal))
            {
                i = SkipSpace(s, i + 6);
                return i == s.Length && children.Count + 1 <= limits.MaxElements && limits.MaxDepth >= 1
                    ? new WeChatXmlElement("xml", string.Empty, children)
                    : null;
            }
            var child = ScanChild(xml, ref i);
            if (child is null)
                return null;
            children.Add(child);
        }
    }

    private static WeChatXmlElement? ScanChild(string xml, ref int i)
    {
        var s = xml.AsSpan();
        if (s[i] != '<')
            return null;
        var nameStart = i + 1;
        var nameEnd = nameStart;
        while (nameEnd < s.Length && IsNameChar(s[nameEnd], nameEnd == nameStart))
            nameEnd++;
        var nameLength = nameEnd - nameStart;
        if (nameLength is 0 or > MaxNameLength || nameEnd >= s.Length)
            return null;
        var name = xml.Substring(nameStart, nameLength);

        if (s[nameEnd..].StartsWith("/>", StringComparison.Ordinal))
        {
            i = nameEnd + 2;
            return new WeChatXmlElement(name, string.Empty, WeChatXmlElement.NoChildren);
        }
        if (s[nameEnd] != '>')
            return null;
        var p = nameEnd + 1;

        string value;
        if (s[p..].StartsWith("<![CDATA[", StringComparison.Ordinal))
        {
            // One or more adjacent CDATA sections (a writer splits a section to carry "]]>").
            string? first = null;
            System.Text.StringBuilder? more = null;
            while (s[p..].StartsWith("<![CDATA[", StringComparison.Ordinal))
            {
                var start = p + 9;
                var end = s[start..].IndexOf("]]>", StringComparison.Ordinal);
                if (end < 0)
                    return null;
                var section = s.Slice(start, end);
                if (!IsPlainXmlText(section))
                    return null;
                if (first is null)
                    first = section.ToString();
                else
                    (more ??= new System.Text.StringBuilder(first)).Append(section);
                p = start + end + 3;
            }
            value = more?.ToString() ?? first!;
        }
        else
        {
            var end = s[p..].IndexOfAny('<', '&');
            if (end < 0 || s[p + end] != '<')
                return null;
            var text = s.Slice(p, end);
            // Whitespace-only text, "]]>" in text and anything needing normalisation are the reader's business.
            if (!IsPlainXmlText(text) || text.Contains("]]>", StringComparison.Ordinal) || (text.Length > 0 && text.IndexOfAnyExcept(" \t\n") < 0))
                return null;
            value = text.ToString();
            p += end;
        }

        // The matching end tag must follow immediately.
        if (!s[p..].StartsWith("</", StringComparison.Ordinal) || !s[(p + 2)..].StartsWith(name, StringComparison.Ordinal))
            return null;
        p += 2 + name.Length;
        if (p >= s.Length || s[p] != '>')
            return null;
        i = p + 1;
        return new WeChatXmlElement(name, value, WeChatXmlElement.NoChildren);
    }

    private static int SkipSpace(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\n')
            i++;
        return i;
    }

    private static bool IsNameChar(char c, bool first) =>
        char.IsAsciiLetter(c) || c == '_' || (!first && char.IsAsciiDigit(c));

    /// <summary>Only characters XML carries verbatim: no carriage returns (the reader normalises them), no controls, paired surrogates.</summary>
    private static bool IsPlainXmlText(ReadOnlySpan<char> text)
    {
        for (var k = 0; k < text.Length; k++)
        {
            var c = text[k];
            if (c >= 0x20 && c < 0xD800)
                continue;
            if (c is '\t' or '\n')
                continue;
            if (char.IsHighSurrogate(c) && k + 1 < text.Length && char.IsLowSurrogate(text[k + 1]))
            {
                k++;
                continue;
            }
            if (c >= 0xE000 && c <= 0xFFFD)
                continue;
            return false;
        }
        return true;
    }
}
