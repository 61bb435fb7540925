namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>A clock tests move by hand (Microsoft.Extensions.TimeProvider.Testing is not available here). Its
/// timestamps are the clock's ticks, and its timers (so <c>Task.Delay(…, provider)</c>) fire only when
/// <see cref="Advance"/> reaches their due time, earliest first.</summary>
internal sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly HashSet<FakeTimer> _timers = [];
    private DateTimeOffset _now = start;
    private int _created;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Timers created and not yet fired or disposed.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => t.Due is not null);
            }
        }
    }

    public void Advance(TimeSpan by)
    {
        DateTimeOffset until;
        lock (_lock)
        {
            until = _now + by;
        }

        // Fires due timers in due order, moving the clock to each one's due time first; timers created or changed
        // by a callback are picked up by the next pass.
        while (true)
        {
            List<(FakeTimer Timer, DateTimeOffset Due)> due;
            lock (_lock)
            {
                due = [.. _timers.Where(t => t.Due <= until).Select(t => (t, t.Due!.Value)).OrderBy(x => x.Value).ThenBy(x => x.t.Sequence)];
                if (due.Count == 0)
                {
                    _now = until;
                    return;
                }
            }

            foreach (var (timer, at) in due)
            {
                lock (_lock)
                {
                    if (timer.Due != at)
                    {
                        continue;
                    }

                    _now = at;
                    timer.Due = timer.Period is { } period && period > TimeSpan.Zero ? at + period : null;
                }

                timer.Fire();
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_lock)
        {
            timer.Sequence = _created++;
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public int Sequence { get; set; }

        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._lock)
            {
                Due = null;
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
