using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class DbContextTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task EF_Core_maps_the_tables_the_schema_scripts_create(string provider)
    {
        using var file = new TempSqliteFile();
        await using var server = provider == "Postgres"
            ? ServerFactory.ForPostgres(await postgres.CreateDatabaseAsync())
            : ServerFactory.ForSqlite(file.ConnectionString);
        _ = server.CreateClient();
        // China time on purpose: PostgreSQL stores only UTC, and the context must convert rather than fail.
        var updatedAt = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.FromHours(8));

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WeChatAssistDbContext>();
            db.AppSettings.Add(new AppSetting { Key = "notice", Value = "缴费截止 2026-02-28", UpdatedAt = updatedAt });
            db.MessageDedupes.Add(new MessageDedupe { Account = "county", DedupeKey = "oUser:1001", ExpiresAt = updatedAt.AddMinutes(1) });
            await db.SaveChangesAsync();
        }

        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WeChatAssistDbContext>();
            var setting = await db.AppSettings.SingleAsync(s => s.Key == "notice");
            Assert.Equal("缴费截止 2026-02-28", setting.Value);
            Assert.Equal(updatedAt, setting.UpdatedAt);

            // The unique (account, dedupe_key) is what makes a WeChat retry detectable across nodes.
            db.MessageDedupes.Add(new MessageDedupe { Account = "county", DedupeKey = "oUser:1001", ExpiresAt = updatedAt.AddMinutes(2) });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }
}
