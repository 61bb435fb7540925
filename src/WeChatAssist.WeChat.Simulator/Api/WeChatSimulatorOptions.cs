namespace WeChatAssist.WeChat.Simulator.Api;

/// <summary>Simulator settings, bound from <c>WeChat:Simulator</c>.</summary>
public sealed class WeChatSimulatorOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "WeChat:Simulator";

    /// <summary>Lifetime of issued access tokens and tickets.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Enforce the customer-service window: a person can be sent at most <see cref="CustomerServiceMessagesPerInbound"/>
    /// messages within <see cref="CustomerServiceWindow"/> of their last message (recorded by the chat page or
    /// <see cref="SimulatorState.RecordInbound"/>); otherwise 45015 (window over) or 45047 (count exhausted).
    /// </summary>
    public bool EnforceCustomerServiceWindow { get; set; }

    /// <summary>How long after a person's message customer-service messages are allowed.</summary>
    public TimeSpan CustomerServiceWindow { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Customer-service messages allowed per message from the person.</summary>
    public int CustomerServiceMessagesPerInbound { get; set; } = 5;

    /// <summary>
    /// Open-platform accounts (name → the app ids bound to it). An app in a group gets unionids from
    /// <c>jscode2session</c> and <c>user/info</c>: the same one for the same person on every app of the group. An app in
    /// no group gets none, as on WeChat. A person is an OpenID unless <c>_simulator/users</c> says otherwise.
    /// </summary>
    public Dictionary<string, List<string>> OpenPlatforms { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Known apps (app id → secret). When empty, any app id and secret are accepted.</summary>
    public Dictionary<string, string> Apps { get; set; } = new(StringComparer.Ordinal);
}
