namespace WeChatAssist.WeChat.Messages;

/// <summary>One element of a WeChat XML document: its text and its child elements.</summary>
public sealed class WeChatXmlElement
{
    internal static readonly IReadOnlyList<WeChatXmlElement> NoChildren = [];

    /// <summary>An empty <c>&lt;xml/&gt;</c> element.</summary>
    public static WeChatXmlElement Empty { get; } = new("xml", string.Empty, NoChildren);

    /// <summary>Creates an element.</summary>
    public WeChatXmlElement(string name, string value, IReadOnlyList<WeChatXmlElement> children)
    {
        Name = name;
        Value = value;
        Children = children;
    }

    /// <summary>Local name of the element.</summary>
    public string Name { get; }

    /// <summary>Concatenated text and CDATA directly inside the element.</summary>
    public string Value { get; }

    /// <summary>Child elements in document order.</summary>
    public IReadOnlyList<WeChatXmlElement> Children { get; }

    /// <summary>First child with this name (ordinal), or null.</summary>
    public WeChatXmlElement? Child(string name)
    {
        foreach (var child in Children)
        {
            if (string.Equals(child.Name, name, StringComparison.Ordinal))
                return child;
        }
        return null;
    }

    /// <summary>Text of the first child with this name, or null.</summary>
    public string? ChildValue(string name) => Child(name)?.Value;
}
