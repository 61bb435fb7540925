using WeChatAssist.WeChat.Tests.Infrastructure;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.WeChat.Tests.Webhook;

public class DeduplicatorTests
{
    [Fact]
    public async Task A_key_is_claimed_once_per_account_until_it_expires()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var dedupe = new InMemoryMessageDeduplicator(clock);
        var ttl = TimeSpan.FromMinutes(1);

        Assert.True(await dedupe.TryClaimAsync("a", "k", ttl, default));
        Assert.False(await dedupe.TryClaimAsync("a", "k", ttl, default));
        Assert.True(await dedupe.TryClaimAsync("b", "k", ttl, default));
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await dedupe.TryClaimAsync("a", "k", ttl, default));
    }

    [Fact]
    public async Task Expired_claims_are_forgotten_so_memory_stays_bounded()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var dedupe = new InMemoryMessageDeduplicator(clock);
        for (var i = 0; i < 1000; i++)
            await dedupe.TryClaimAsync("a", "k" + i, TimeSpan.FromSeconds(30), default);
        clock.Advance(TimeSpan.FromMinutes(1));
        await dedupe.TryClaimAsync("a", "fresh", TimeSpan.FromSeconds(30), default);
        Assert.Equal(1, dedupe.Count);
    }

    [Fact]
    public async Task Concurrent_claims_of_one_key_succeed_exactly_once()
    {
        var dedupe = new InMemoryMessageDeduplicator();
        var claims = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => dedupe.TryClaimAsync("a", "k", TimeSpan.FromMinutes(1), default).AsTask())));
        Assert.Equal(1, claims.Count(c => c));
    }
}
