using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class MessageDedupeSweepJobTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task The_sweep_deletes_expired_keys_and_keeps_live_ones(string provider)
    {
        using var file = new TempSqliteFile();
        await using var server = provider == "Postgres"
            ? ServerFactory.ForPostgres(await postgres.CreateDatabaseAsync())
            : ServerFactory.ForSqlite(file.ConnectionString);
        _ = server.CreateClient();
        var now = DateTimeOffset.UtcNow;
        var store = server.Services.GetRequiredService<MessageDedupeStore>();
        var claimedAt = now.AddMinutes(-2);
        Assert.True(await store.TryClaimAsync("county", "expired", now.AddMinutes(-1), claimedAt, CancellationToken.None));
        Assert.True(await store.TryClaimAsync("county", "expired-other-offset", now.AddMinutes(-1).ToOffset(TimeSpan.FromHours(8)), claimedAt, CancellationToken.None));
        Assert.True(await store.TryClaimAsync("county", "live", now.AddMinutes(10), claimedAt, CancellationToken.None));

        Assert.Equal("*/5 * * * *", server.Services.RecurringJobs()["message-dedupe-sweep"].Cron);
        server.Services.TriggerRecurringJob<MessageDedupeSweepJob>();

        var remaining = await PollAsync(server, keys => keys.Count == 1);
        Assert.Equal(["live"], remaining);
    }

    private static async Task<List<string>> PollAsync(ServerFactory server, Func<List<string>, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var keys = await server.Services.GetRequiredService<MessageDedupeStore>().KeysAsync("county", CancellationToken.None);
            if (done(keys) || DateTime.UtcNow > deadline)
            {
                return keys;
            }

            await Task.Delay(100);
        }
    }
}
