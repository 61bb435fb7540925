namespace WeChatAssist.WeChat.Simulator.Api;

/// <summary>Simulator settings, bound from <c>WeChat:Simulator</c>.</summary>
public sealed class WeChatSimulatorOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WeChat:Simulator";

    /// <summary>Lifetime of issued access tokens and tickets.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Known apps (app id → secret). When empty, any app id and secret are accepted.</summary>
    public Dictionary<string, string> Apps { get; set; } = new(StringComparer.Ordinal);
}
