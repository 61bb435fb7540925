namespace WeChatAssist.Server.Clock;

/// <summary>The clock every "today" in the product comes from: the real time, or — with <c>Clock:Now</c> or a demo
/// date chosen in Development — a shifted instant that then advances in real time. A type of its own so it cannot be
/// injected where the real clock is required: signature timestamps and token expiry keep using <see cref="TimeProvider.System"/>.</summary>
internal sealed class BusinessClock : TimeProvider
{
    private readonly TimeProvider _realClock;
    private readonly TimeZoneInfo _zone;

    // Ticks of the shift from the real time; read on every call, written only when a demo date is chosen.
    private long _shiftTicks;
    private volatile bool _isPinned;

    /// <summary>Creates the clock; <paramref name="pinnedNow"/> is where it starts, measured against <paramref name="realClock"/>.</summary>
    public BusinessClock(TimeProvider realClock, DateTimeOffset? pinnedNow, TimeZoneInfo zone)
    {
        _realClock = realClock;
        _zone = zone;
        _shiftTicks = pinnedNow is { } pinned ? (pinned - realClock.GetUtcNow()).Ticks : 0;
        _isPinned = pinnedNow is not null;
    }

    /// <summary>Whether <c>Clock:Now</c> or a demo date moved this clock away from the real time.</summary>
    public bool IsPinned => _isPinned;

    public override TimeZoneInfo LocalTimeZone => _zone;

    public override long TimestampFrequency => _realClock.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => _realClock.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _shiftTicks));

    public override long GetTimestamp() => _realClock.GetTimestamp();

    /// <summary>The business date in <see cref="LocalTimeZone"/>.</summary>
    public DateOnly Today() => DateOnly.FromDateTime(GetLocalNow().DateTime);

    /// <summary>Moves the business date to <paramref name="date"/> at the real time of day (a demo date, Development
    /// only); the clock then advances in real time from there.</summary>
    public void MoveTo(DateOnly date)
    {
        var realLocal = TimeZoneInfo.ConvertTime(_realClock.GetUtcNow(), _zone);
        var target = date.ToDateTime(TimeOnly.FromDateTime(realLocal.DateTime));
        var targetInstant = new DateTimeOffset(target, _zone.GetUtcOffset(target));
        Interlocked.Exchange(ref _shiftTicks, (targetInstant - _realClock.GetUtcNow()).Ticks);
        _isPinned = true;
    }

    /// <summary>Returns to the real time.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _shiftTicks, 0);
        _isPinned = false;
    }
}
