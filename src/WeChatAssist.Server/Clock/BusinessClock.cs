namespace WeChatAssist.Server.Clock;

/// <summary>The clock every "today" in the product comes from: the real time, or — with <c>Clock:Now</c> — a pinned
/// instant that then advances in real time. A type of its own so it cannot be injected where the real clock is
/// required: signature timestamps and token expiry keep using <see cref="TimeProvider.System"/>.</summary>
internal sealed class BusinessClock : TimeProvider
{
    private readonly TimeProvider _realClock;
    private readonly TimeSpan _shift;
    private readonly TimeZoneInfo _zone;

    /// <summary>Creates the clock; <paramref name="pinnedNow"/> is where it starts, measured against <paramref name="realClock"/>.</summary>
    public BusinessClock(TimeProvider realClock, DateTimeOffset? pinnedNow, TimeZoneInfo zone)
    {
        _realClock = realClock;
        _zone = zone;
        _shift = pinnedNow is { } pinned ? pinned - realClock.GetUtcNow() : TimeSpan.Zero;
        IsPinned = pinnedNow is not null;
    }

    /// <summary>Whether <c>Clock:Now</c> moved this clock away from the real time.</summary>
    public bool IsPinned { get; }

    public override TimeZoneInfo LocalTimeZone => _zone;

    public override long TimestampFrequency => _realClock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _realClock.GetUtcNow() + _shift;

    public override long GetTimestamp() => _realClock.GetTimestamp();

    /// <summary>The business date in <see cref="LocalTimeZone"/>.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(GetLocalNow().DateTime);
}
