using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Demo;

/// <summary>On an empty Development database the 彭水 demo county is generated in the background at start.</summary>
public sealed class DemoAutoStartTests
{
    [Fact]
    public async Task An_empty_Development_database_gets_the_demo_county_of_Demo_AutoResidents_once()
    {
        using var file = new TempSqliteFile();
        var settings = new Dictionary<string, string?> { ["Demo:AutoResidents"] = "300" };
        await using (var first = ServerFactory.ForSqlite(file.ConnectionString, extra: settings))
        {
            _ = first.CreateClient();
            var target = first.Services.GetRequiredService<DatabaseTarget>();
            Assert.Equal(300L, await PollAsync(() => CountAsync(target, "SELECT COUNT(*) FROM residents WHERE policy_id = 'pengshui-2024'"), 300));
            Assert.True(await CountAsync(target, "SELECT COUNT(*) FROM resident_bindings WHERE app_id = 'wx0000000000000003'") > 0);
        }

        // Not empty any more: a restart generates nothing.
        await using var second = ServerFactory.ForSqlite(file.ConnectionString, extra: settings);
        _ = second.CreateClient();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(300L, await CountAsync(second.Services.GetRequiredService<DatabaseTarget>(), "SELECT COUNT(*) FROM residents"));
    }

    [Theory]
    [InlineData("Development", "0")]
    [InlineData("Production", "300")]
    public async Task Zero_or_an_environment_other_than_Development_generates_nothing(string environment, string residents)
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString, environment, extra: new Dictionary<string, string?> { ["Demo:AutoResidents"] = residents });
        _ = server.CreateClient();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(0L, await CountAsync(server.Services.GetRequiredService<DatabaseTarget>(), "SELECT COUNT(*) FROM residents"));
    }

    private static async Task<long> CountAsync(DatabaseTarget target, string sql) =>
        Convert.ToInt64(await Databases.ScalarAsync(target, sql), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<long> PollAsync(Func<Task<long>> count, long expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        long last;
        while ((last = await count()) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        return last;
    }
}
