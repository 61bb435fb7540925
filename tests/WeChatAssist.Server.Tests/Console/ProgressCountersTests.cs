using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Console;

/// <summary>The counters the triggers keep on residents always equal a count of residents itself, through inserts,
/// payments, moves between villages and categories, and deletions, on both providers.</summary>
public sealed class ProgressCountersTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private const string AreaCounts = "SELECT policy_id, township, village, category_codes, paid_year, residents FROM progress_area_counts WHERE residents <> 0";
    private const string AreaTruth = "SELECT policy_id, township, village, category_codes, COALESCE(paid_year, 0), COUNT(*) FROM residents GROUP BY 1, 2, 3, 4, 5";
    private const string DayCounts = "SELECT policy_id, paid_year, paid_on, township, village, residents FROM progress_day_counts WHERE residents <> 0";
    private const string DayTruth = "SELECT policy_id, paid_year, paid_on, township, village, COUNT(*) FROM residents WHERE paid_year IS NOT NULL AND paid_on IS NOT NULL GROUP BY 1, 2, 3, 4, 5";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_counters_follow_every_change_to_residents(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(
            onPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            onPostgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString);
        var ids = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add(await server.SeedAsync("辛" + i, TestIds.Next(), township: i % 2 == 0 ? "郁山镇" : "保家镇", village: "村" + (i % 3), categories: i % 3 == 0 ? ["dibao"] : [], paidYear: i == 5 ? 2023 : null));
        }

        await AssertCountersMatchAsync(server);
        await server.Services.GetRequiredService<PaymentLedger>().RecordAsync(
            [new PaymentRecord(ids[0], 2024, new DateOnly(2023, 11, 14)), new PaymentRecord(ids[1], 2024, new DateOnly(2023, 11, 15)), new PaymentRecord(ids[5], 2024, new DateOnly(2023, 11, 15))],
            "tax-file",
            CancellationToken.None);
        await AssertCountersMatchAsync(server);
        await ExecuteAsync(server, $"UPDATE residents SET village = '新村', category_codes = 'tekun' WHERE id IN ({ids[0]}, {ids[2]})");
        await ExecuteAsync(server, $"UPDATE residents SET name_encrypted = name_encrypted WHERE id = {ids[3]}");
        await AssertCountersMatchAsync(server);
        await ExecuteAsync(server, $"DELETE FROM payment_events WHERE resident_id = {ids[1]}");
        await ExecuteAsync(server, $"DELETE FROM residents WHERE id = {ids[1]}");
        await AssertCountersMatchAsync(server);
    }

    private static async Task AssertCountersMatchAsync(ResidentServer server)
    {
        Assert.Equal(await RowsAsync(server, AreaTruth), await RowsAsync(server, AreaCounts));
        Assert.Equal(await RowsAsync(server, DayTruth), await RowsAsync(server, DayCounts));
    }

    private static async Task<List<string>> RowsAsync(ResidentServer server, string sql)
    {
        var target = server.Services.GetRequiredService<DatabaseTarget>();
        await using var connection = await target.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static async Task ExecuteAsync(ResidentServer server, string sql)
    {
        var target = server.Services.GetRequiredService<DatabaseTarget>();
        await using var connection = await target.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
