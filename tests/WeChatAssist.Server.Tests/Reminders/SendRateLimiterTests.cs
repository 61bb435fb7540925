using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>The dispatcher's per-app token bucket, on a clock the tests move by hand.</summary>
public sealed class SendRateLimiterTests
{
    private static readonly DateTimeOffset Start = new(2023, 12, 24, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_fresh_bucket_lets_its_burst_through_at_once_and_the_next_caller_waits()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new SendRateLimiter(perSecond: 10, burst: 5, clock);

        var calls = Take(limiter, 6);

        Assert.Equal([true, true, true, true, true, false], calls.Select(c => c.IsCompleted));
    }

    [Fact]
    public void An_emptied_bucket_refills_one_token_per_interval_and_not_earlier()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new SendRateLimiter(perSecond: 10, burst: 1, clock);
        Take(limiter, 1);
        var waiting = Take(limiter, 3);

        clock.Advance(TimeSpan.FromMilliseconds(100) - TimeSpan.FromTicks(1));
        var beforeFirstRefill = waiting.Count(c => c.IsCompleted);
        clock.Advance(TimeSpan.FromTicks(1));
        var afterFirstRefill = waiting.Count(c => c.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(200));

        Assert.Equal((0, 1, 3), (beforeFirstRefill, afterFirstRefill, waiting.Count(c => c.IsCompleted)));
    }

    [Fact]
    public void After_an_idle_spell_the_bucket_holds_its_burst_and_no_more()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new SendRateLimiter(perSecond: 10, burst: 3, clock);
        Take(limiter, 3);

        clock.Advance(TimeSpan.FromMinutes(5));
        var calls = Take(limiter, 4);

        Assert.Equal([true, true, true, false], calls.Select(c => c.IsCompleted));
    }

    [Fact]
    public void Waiting_callers_are_released_one_per_interval_in_the_order_they_arrived()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new SendRateLimiter(perSecond: 4, burst: 1, clock);
        Take(limiter, 1);
        var waiting = Take(limiter, 5);
        var released = new List<int[]>();

        for (var i = 0; i < waiting.Count; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(250));
            released.Add([.. waiting.Select((c, index) => (c, index)).Where(x => x.c.IsCompleted).Select(x => x.index)]);
        }

        Assert.Equal([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4]], released);
    }

    [Fact]
    public async Task A_cancelled_waiter_stops_waiting_and_the_callers_behind_it_keep_their_slots()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new SendRateLimiter(perSecond: 10, burst: 1, clock);
        Take(limiter, 1);
        using var cancel = new CancellationTokenSource();
        var cancelled = limiter.WaitAsync(cancel.Token).AsTask();
        var behind = limiter.WaitAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        clock.Advance(TimeSpan.FromMilliseconds(199));
        var releasedEarly = behind.IsCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.False(releasedEarly);
        Assert.True(behind.IsCompletedSuccessfully);
        Assert.Equal(0, clock.PendingTimers);
    }

    [Fact]
    public async Task A_caller_already_cancelled_takes_no_token()
    {
        var clock = new FakeTimeProvider(Start);
        var limiter = new SendRateLimiter(perSecond: 10, burst: 1, clock);
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => limiter.WaitAsync(cancel.Token).AsTask());
        var next = limiter.WaitAsync(CancellationToken.None);

        Assert.True(next.IsCompletedSuccessfully);
    }

    [Theory]
    [InlineData(7, 1_000_000)]
    [InlineData(3, 10_000_000)]
    [InlineData(5_000, 2_000)]
    public void Over_many_refills_the_rate_does_not_drift(int perSecond, int tokens)
    {
        // 1/7 s and 1/3 s are not whole ticks: an implementation that rounded each interval would be off by a
        // fraction of a tick per token, a whole second after a few million tokens.
        var clock = new FakeTimeProvider(Start);
        var limiter = new SendRateLimiter(perSecond, burst: 1, clock);
        var waits = new TimeSpan[tokens + 1];
        for (var i = 0; i <= tokens; i++)
        {
            waits[i] = limiter.Reserve();
        }

        // Token n is due n/perSecond seconds after the first, rounded up to a whole tick.
        var expectedTicks = (((long)tokens * TimeSpan.TicksPerSecond) + perSecond - 1) / perSecond;
        var secondLastTicks = (((long)(tokens - 1) * TimeSpan.TicksPerSecond) + perSecond - 1) / perSecond;
        Assert.Equal(TimeSpan.Zero, waits[0]);
        Assert.Equal(TimeSpan.FromTicks(expectedTicks), waits[tokens]);
        Assert.Equal(TimeSpan.FromTicks(secondLastTicks), waits[tokens - 1]);
    }

    private static List<Task> Take(SendRateLimiter limiter, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => limiter.WaitAsync(CancellationToken.None).AsTask())];
}
