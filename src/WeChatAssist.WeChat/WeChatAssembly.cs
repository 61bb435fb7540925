namespace WeChatAssist.WeChat;

/// <summary>Marker for the WeChat protocol assembly.</summary>
public static class WeChatAssembly
{
    /// <summary>Default per-request timeout for calls to WeChat's servers.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);
}
