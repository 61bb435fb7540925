using WeChatAssist.Server.WeChat;

namespace WeChatAssist.Server.Tests.WeChat;

/// <summary>The retry wait shared by reminders and correction messages: doubling, the cap, the jitter band.</summary>
public sealed class RetryDelayTests
{
    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(50, 3600)]
    public void The_wait_doubles_per_attempt_up_to_the_cap(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryDelay.After(attempt, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1), 0.5, 0.5));

    [Theory]
    [InlineData(0.5, 0.0, 30)]
    [InlineData(0.5, 0.999, 89.94)]
    [InlineData(0.25, 0.0, 45)]
    [InlineData(0.25, 0.5, 60)]
    public void Jitter_spreads_the_wait_either_side_by_the_spread(double spread, double random, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryDelay.After(1, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), spread, random));

    [Fact]
    public void A_tiny_base_delay_and_many_attempts_reach_the_cap_without_overflow() =>
        Assert.Equal(TimeSpan.FromHours(6), RetryDelay.After(50, TimeSpan.FromTicks(1), TimeSpan.FromHours(6), 0, 0.3));
}
