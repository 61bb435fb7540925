using System.Text;
using System.Text.Json;

namespace WeChatAssist.WeChat.Messages;

/// <summary>
/// Reads the JSON form of mini-program pushes into the same element tree the XML reader builds, so one parser types
/// both. Hardened like the XML reader: size cap, nesting depth and element count from <see cref="WeChatXmlLimits"/>,
/// no comments, no trailing commas, the root must be an object. An object becomes an element with one child per
/// property; an array becomes an element with one <c>List</c> child per item (the XML form's shape); scalars become
/// text (numbers as written, true/false, null as empty).
/// </summary>
public static class WeChatJsonReader
{
    /// <summary>Parses a document; false with a reason for anything malformed or over a limit.</summary>
    public static bool TryParse(string json, WeChatXmlLimits limits, out WeChatXmlElement? root, out string? error)
    {
        ArgumentNullException.ThrowIfNull(limits);
        root = null;
        if (string.IsNullOrEmpty(json))
        {
            error = "empty document";
            return false;
        }
        if (json.Length > limits.MaxCharacters)
        {
            error = "document too large";
            return false;
        }

        // One contiguous buffer, so values never span segments.
        var bytes = Encoding.UTF8.GetBytes(json);
        // JsonReaderOptions.MaxDepth counts the root object as depth 1; the limits count the root element as depth 0.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            MaxDepth = limits.MaxDepth + 1,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the root is not a JSON object";
                return false;
            }
            var count = 1;
            var element = ReadObject(ref reader, "xml", limits, ref count);
            if (reader.Read())
            {
                error = "data after the root object";
                return false;
            }
            root = element;
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = "malformed JSON: " + ex.Message;
            return false;
        }
        catch (InvalidOperationException ex)
        {
            // GetString refuses escapes that decode to invalid UTF-16 (a lone surrogate).
            error = "malformed JSON string: " + ex.Message;
            return false;
        }
    }

    private static WeChatXmlElement ReadObject(ref Utf8JsonReader reader, string name, WeChatXmlLimits limits, ref int count)
    {
        var children = new List<WeChatXmlElement>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // The reader guarantees a property name here inside an object.
            var property = reader.GetString() ?? string.Empty;
            reader.Read();
            children.Add(ReadValue(ref reader, property, limits, ref count));
        }
        return new WeChatXmlElement(name, string.Empty, children.Count == 0 ? WeChatXmlElement.NoChildren : children);
    }

    private static WeChatXmlElement ReadValue(ref Utf8JsonReader reader, string name, WeChatXmlLimits limits, ref int count)
    {
        if (++count > limits.MaxElements)
            throw new JsonException("too many elements");
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return ReadObject(ref reader, name, limits, ref count);
            case JsonTokenType.StartArray:
                var items = new List<WeChatXmlElement>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, "List", limits, ref count));
                return new WeChatXmlElement(name, string.Empty, items);
            case JsonTokenType.String:
                return new WeChatXmlElement(name, reader.GetString() ?? string.Empty, WeChatXmlElement.NoChildren);
            case JsonTokenType.Number:
                return new WeChatXmlElement(name, Encoding.UTF8.GetString(reader.ValueSpan), WeChatXmlElement.NoChildren);
            case JsonTokenType.True:
                return new WeChatXmlElement(name, "true", WeChatXmlElement.NoChildren);
            case JsonTokenType.False:
                return new WeChatXmlElement(name, "false", WeChatXmlElement.NoChildren);
            default:
                return new WeChatXmlElement(name, string.Empty, WeChatXmlElement.NoChildren);
        }
    }
}
