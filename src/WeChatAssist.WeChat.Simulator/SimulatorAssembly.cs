namespace WeChatAssist.WeChat.Simulator;

/// <summary>Marker for the WeChat simulator assembly.</summary>
public static class SimulatorAssembly
{
    /// <summary>Route prefix under which the simulated WeChat API is served.</summary>
    public const string DefaultPrefix = "/wechat-sim";
}
