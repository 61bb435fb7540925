using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class BusinessClockTests
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    [Fact]
    public void Pinned_clock_starts_at_the_pinned_instant_and_advances_with_real_time()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var pinned = DateTimeOffset.Parse("2026-01-15T09:00:00+08:00", System.Globalization.CultureInfo.InvariantCulture);
        var clock = new BusinessClock(real, pinned, Shanghai);

        Assert.Equal(pinned, clock.GetUtcNow());
        real.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(pinned.AddMinutes(90), clock.GetUtcNow());
        Assert.True(clock.IsPinned);
    }

    [Fact]
    public void Business_date_follows_the_configured_zone_not_UTC()
    {
        // 2026-01-15 17:30 UTC is already the 16th in China.
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 17, 30, 0, TimeSpan.Zero));
        var clock = new BusinessClock(real, null, Shanghai);

        Assert.Equal(new DateOnly(2026, 1, 16), clock.Today());
        Assert.False(clock.IsPinned);
    }

    [Fact]
    public void Unpinned_clock_is_the_real_clock()
    {
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));
        var clock = new BusinessClock(real, null, Shanghai);

        Assert.Equal(real.GetUtcNow(), clock.GetUtcNow());
    }

    [Theory]
    [InlineData("2026-01-15T09:00:00+08:00", true)]
    [InlineData("2026-01-15T09:00+08:00", true)]
    [InlineData("2026-01-15T01:00:00Z", true)]
    [InlineData("2026-01-15T09:00:00.250+08:00", true)]
    [InlineData("2026-01-15T09:00:00", false)]
    [InlineData("2026-01-15", false)]
    [InlineData("15/01/2026 09:00 +08:00", false)]
    [InlineData("tomorrow", false)]
    public void Clock_Now_must_be_ISO_8601_with_an_offset(string text, bool valid) =>
        Assert.Equal(valid, ClockOptionsValidator.TryParseInstant(text, out _));

    [Fact]
    public async Task The_server_business_clock_honours_Clock_Now_while_the_real_clock_stays_real()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, extra: new Dictionary<string, string?> { ["Clock:Now"] = "2026-01-15T09:00:00+08:00" });
        _ = server.CreateClient();

        var clock = server.Services.GetRequiredService<BusinessClock>();
        var first = clock.GetUtcNow();
        await Task.Delay(50);
        var second = clock.GetUtcNow();

        Assert.Equal(new DateOnly(2026, 1, 15), clock.Today());
        Assert.InRange(first - DateTimeOffset.Parse("2026-01-15T01:00:00Z", System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero, TimeSpan.FromMinutes(5));
        Assert.True(second > first, "The pinned clock must advance in real time.");
        var real = server.Services.GetRequiredService<TimeProvider>();
        Assert.InRange(real.GetUtcNow() - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(-5), TimeSpan.FromSeconds(5));
    }
}
