namespace WeChatAssist.WeChat.Messages;

/// <summary>Limits the hardened XML reader enforces on every document.</summary>
public sealed record WeChatXmlLimits
{
    /// <summary>Defaults sized for WeChat pushes (a few KB) with ample headroom.</summary>
    public static WeChatXmlLimits Default { get; } = new();

    /// <summary>Largest document, in characters.</summary>
    public int MaxCharacters { get; init; } = 1 << 20;

    /// <summary>Deepest element nesting; the root is depth 0. WeChat's deepest push needs 3.</summary>
    public int MaxDepth { get; init; } = 8;

    /// <summary>Most elements in one document.</summary>
    public int MaxElements { get; init; } = 1024;
}
