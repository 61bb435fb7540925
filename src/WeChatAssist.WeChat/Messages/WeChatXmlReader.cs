using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;

namespace WeChatAssist.WeChat.Messages;

/// <summary>
/// Reads WeChat XML with a hardened <see cref="XmlReader"/>: DTDs are prohibited (no entities, no billion laughs),
/// no resolver (no XXE), and size, depth and element-count limits apply.
/// </summary>
public static class WeChatXmlReader
{
    /// <summary>Creates the hardened reader settings for the given limits.</summary>
    public static XmlReaderSettings CreateSettings(WeChatXmlLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        return new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = limits.MaxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CheckCharacters = true,
            CloseInput = true,
            Async = false,
        };
    }

    /// <summary>Parses a document whose root must be <c>&lt;xml&gt;</c>; returns false with a reason for anything malformed or over a limit.</summary>
    public static bool TryParse(string xml, WeChatXmlLimits limits, out WeChatXmlElement? root, out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        root = null;
        error = null;
        if (string.IsNullOrEmpty(xml))
        {
            error = "empty document";
            return false;
        }
        if (xml.Length > limits.MaxCharacters)
        {
            error = "document too large";
            return false;
        }

        var flat = FlatXmlScanner.TryScan(xml, limits);
        if (flat is not null)
        {
            root = flat;
            return true;
        }
        return TryParseWithReader(xml, limits, out root, out error);
    }

    /// <summary>The full hardened-reader path (also used to check the fast path gives identical results).</summary>
    internal static bool TryParseWithReader(string xml, WeChatXmlLimits limits, out WeChatXmlElement? root, out string? error)
    {
        root = null;
        error = null;
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), SettingsFor(limits));
            if (reader.MoveToContent() != XmlNodeType.Element || !string.Equals(reader.LocalName, "xml", StringComparison.Ordinal))
            {
                error = "root element is not <xml>";
                return false;
            }
            var elements = 0;
            root = ReadElement(reader, limits, ref elements);
            // Anything after the root other than whitespace/comments is malformed; Read() throws on a second root.
            while (reader.Read())
            {
                if (reader.NodeType is XmlNodeType.Element or XmlNodeType.Text or XmlNodeType.CDATA)
                {
                    root = null;
                    error = "content after the root element";
                    return false;
                }
            }
            return true;
        }
        catch (XmlException ex)
        {
            root = null;
            error = ex.Message;
            return false;
        }
        catch (LimitExceededException ex)
        {
            root = null;
            error = ex.Message;
            return false;
        }
    }

    // Settings are immutable once a reader uses them, so one instance per limits object is shared.
    private static readonly ConditionalWeakTable<WeChatXmlLimits, XmlReaderSettings> Settings = [];

    private static XmlReaderSettings SettingsFor(WeChatXmlLimits limits) =>
        Settings.GetValue(limits, static l => CreateSettings(l));

    private static WeChatXmlElement ReadElement(XmlReader reader, WeChatXmlLimits limits, ref int elements)
    {
        if (++elements > limits.MaxElements)
            throw new LimitExceededException("too many elements");
        if (reader.Depth > limits.MaxDepth)
            throw new LimitExceededException("elements nested too deeply");

        var name = reader.LocalName;
        if (reader.IsEmptyElement)
            return new WeChatXmlElement(name, string.Empty, WeChatXmlElement.NoChildren);

        string? single = null;
        StringBuilder? text = null;
        List<WeChatXmlElement>? children = null;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.SignificantWhitespace:
                    if (single is null && text is null)
                    {
                        single = reader.Value;
                    }
                    else
                    {
                        text ??= new StringBuilder(single);
                        text.Append(reader.Value);
                    }
                    break;
                case XmlNodeType.Element:
                    (children ??= []).Add(ReadElement(reader, limits, ref elements));
                    break;
                case XmlNodeType.EndElement:
                    return new WeChatXmlElement(name, text?.ToString() ?? single ?? string.Empty, children ?? WeChatXmlElement.NoChildren);
            }
        }
        throw new XmlException("unexpected end of document");
    }

    private sealed class LimitExceededException(string message) : Exception(message);
}
