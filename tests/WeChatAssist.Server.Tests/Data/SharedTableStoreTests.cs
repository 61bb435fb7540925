using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

/// <summary>The stores of the tables Data/ owns, <c>app_settings</c> and <c>message_dedupe</c>, on both providers.</summary>
public sealed class SharedTableStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_setting_is_kept_replaced_and_forgotten_by_key(string provider)
    {
        using var file = new TempSqliteFile();
        await using var server = provider == "Postgres"
            ? ServerFactory.ForPostgres(await postgres.CreateDatabaseAsync())
            : ServerFactory.ForSqlite(file.ConnectionString);
        _ = server.CreateClient();
        var settings = server.Services.GetRequiredService<AppSettings>();

        // China time on purpose: PostgreSQL stores only UTC, and the store must convert rather than fail.
        var at = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.FromHours(8));
        await settings.SetAsync("notice", "缴费截止 2026-02-28", at, CancellationToken.None);
        Assert.Equal("缴费截止 2026-02-28", await settings.FindAsync("notice", CancellationToken.None));
        await settings.SetAsync("notice", "缴费截止 2026-03-31", at.AddDays(1), CancellationToken.None);
        Assert.Equal("缴费截止 2026-03-31", await settings.FindAsync("notice", CancellationToken.None));
        await settings.DeleteAsync("notice", CancellationToken.None);
        Assert.Null(await settings.FindAsync("notice", CancellationToken.None));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_message_key_is_claimed_once_until_it_expires(string provider)
    {
        using var file = new TempSqliteFile();
        await using var server = provider == "Postgres"
            ? ServerFactory.ForPostgres(await postgres.CreateDatabaseAsync())
            : ServerFactory.ForSqlite(file.ConnectionString);
        _ = server.CreateClient();
        var store = server.Services.GetRequiredService<MessageDedupeStore>();
        var now = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.FromHours(8));

        // The unique (account, dedupe_key) is what makes a WeChat retry detectable across nodes.
        Assert.True(await store.TryClaimAsync("county", "oUser:1001", now.AddMinutes(1), now, CancellationToken.None));
        Assert.False(await store.TryClaimAsync("county", "oUser:1001", now.AddMinutes(2), now.AddSeconds(30), CancellationToken.None));
        Assert.True(await store.TryClaimAsync("other-county", "oUser:1001", now.AddMinutes(1), now, CancellationToken.None));
        Assert.True(await store.TryClaimAsync("county", "oUser:1001", now.AddMinutes(3), now.AddMinutes(1), CancellationToken.None));
    }
}
