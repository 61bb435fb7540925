namespace WeChatAssist.Server.Clock;

/// <summary>Settings under <c>Clock</c>: where the business day is and, for demos and tests, when it is.</summary>
internal sealed class ClockOptions
{
    public const string SectionName = "Clock";

    /// <summary>An ISO 8601 instant with offset (e.g. <c>2026-01-15T09:00:00+08:00</c>) the business clock starts at;
    /// it then advances in real time. Empty: the real time.</summary>
    public string? Now { get; set; }

    /// <summary>The time zone that decides the business date; an IANA id.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";
}
