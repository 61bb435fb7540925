namespace WeChatAssist.Policy;

/// <summary>Marker for the policy engine assembly.</summary>
public static class PolicyAssembly
{
    /// <summary>The policy file format version this engine reads.</summary>
    public const int FormatVersion = 1;
}
