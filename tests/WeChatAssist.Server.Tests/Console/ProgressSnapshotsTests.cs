using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.StaffConsole;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Console;

/// <summary>The snapshot cache: shared while fresh, recomputed after an invalidation or when too old.</summary>
public sealed class ProgressSnapshotsTests
{
    [Fact]
    public async Task A_snapshot_is_shared_until_payments_invalidate_it_or_it_grows_too_old()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2023-11-15T02:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var snapshots = new ProgressSnapshots(server.Services.GetRequiredService<ProgressQueries>(), clock);
        var scope = new ProgressScope("pengshui-2024", "郁山镇", null);
        await server.SeedAsync("庚一", TestIds.Next(), township: "郁山镇");

        var together = await Task.WhenAll(snapshots.GetAsync(scope, CancellationToken.None), snapshots.GetAsync(scope, CancellationToken.None));
        await server.SeedAsync("庚二", TestIds.Next(), township: "郁山镇");
        var cached = await snapshots.GetAsync(scope, CancellationToken.None);
        clock.Advance(ProgressSnapshots.MaxAge + TimeSpan.FromSeconds(1));
        var aged = await snapshots.GetAsync(scope, CancellationToken.None);
        await server.SeedAsync("庚三", TestIds.Next(), township: "郁山镇");
        snapshots.Invalidate("pengshui-2024");
        var invalidated = await snapshots.GetAsync(scope, CancellationToken.None);

        Assert.Same(together[0], together[1]);
        Assert.Same(together[0], cached);
        Assert.Equal(1, cached!.Registered);
        Assert.Equal(2, aged!.Registered);
        Assert.Equal(3, invalidated!.Registered);
    }
}
