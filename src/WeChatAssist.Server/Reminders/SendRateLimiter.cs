namespace WeChatAssist.Server.Reminders;

/// <summary>The in-process token bucket that paces one app's sends on this node: up to <c>burst</c> sends at once
/// after an idle spell, then one every <c>1/perSecond</c> seconds. Callers that must wait reserve their slot in
/// arrival order, so they are released in that order.</summary>
/// <remarks>A generic cell-rate algorithm: one "theoretical arrival time" stands for the whole bucket. Times are kept
/// as <see cref="TimeProvider.GetTimestamp"/> units multiplied by the rate, in which one token is exactly
/// <see cref="TimeProvider.TimestampFrequency"/> long; nothing is rounded per token, so the rate does not drift
/// however many tokens are handed out. A waiter that is cancelled keeps its slot unused: the bucket then sends less
/// than the rate, never more.</remarks>
internal sealed class SendRateLimiter
{
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly int _perSecond;
    private readonly Int128 _interval;
    private readonly Int128 _tolerance;
    private readonly Lock _lock = new();
    private Int128 _nextFree;

    /// <summary>A bucket of <paramref name="burst"/> tokens refilled at <paramref name="perSecond"/> tokens a second.</summary>
    public SendRateLimiter(int perSecond, int burst, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perSecond, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _perSecond = perSecond;
        _origin = time.GetTimestamp();
        _interval = time.TimestampFrequency;
        _tolerance = (Int128)(burst - 1) * _interval;
    }

    /// <summary>Takes one token, waiting for it when the bucket is empty.</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var wait = Reserve();
        if (wait == TimeSpan.Zero)
        {
            return ValueTask.CompletedTask;
        }

        // Timers count whole milliseconds (Task.Delay truncates): rounded up, so a waiter is never released early.
        var milliseconds = (wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
        return new ValueTask(Task.Delay(TimeSpan.FromMilliseconds(milliseconds), _time, cancellationToken));
    }

    /// <summary>Takes the next token and returns how long until it is due (zero when the bucket held one), rounded
    /// up to a whole tick.</summary>
    internal TimeSpan Reserve()
    {
        Int128 wait;
        lock (_lock)
        {
            var now = (Int128)(_time.GetTimestamp() - _origin) * _perSecond;
            var start = _nextFree > now ? _nextFree : now;
            wait = start - _tolerance - now;
            _nextFree = start + _interval;
        }

        if (wait <= 0)
        {
            return TimeSpan.Zero;
        }

        var frequency = _time.TimestampFrequency;
        var scaledPerTick = (Int128)_perSecond * frequency;
        return TimeSpan.FromTicks((long)(((wait * TimeSpan.TicksPerSecond) + scaledPerTick - 1) / scaledPerTick));
    }
}
