using System.Diagnostics.Metrics;

namespace WeChatAssist.Server.Telemetry;

/// <summary>The server's meter. Each feature declares its own instruments on it in one file (<c>ChatMetrics</c>,
/// <c>ReminderMetrics</c>, <c>ImportMetrics</c>, <c>JobRunMetrics</c>). Labels hold configuration names, policy ids,
/// statuses and counts only: never a name, an ID number, an OpenID or anything a resident wrote.</summary>
internal static class AppMeter
{
    public const string Name = "WeChatAssist";

    public static readonly Meter Meter = new(Name);
}
