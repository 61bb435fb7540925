using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Policy;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Demo;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Demo;

/// <summary>The demo county generator on both providers and its command line.</summary>
public sealed class DemoCountyTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly DateOnly Today = new(2023, 11, 15);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_generated_county_has_valid_residents_spread_like_the_target_table(bool onPostgres)
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(
            onPostgres ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite,
            onPostgres ? await postgres.CreateDatabaseAsync() : sqlite.ConnectionString);
        var generator = server.Services.GetRequiredService<DemoCountyGenerator>();
        var policy = server.Services.GetRequiredService<PolicyCatalog>().Get("pengshui-2024");

        var summary = await generator.GenerateAsync(new DemoCountyRequest("pengshui-2024", 4000, ResidentServer.AppId, Seed: 7), Today, CancellationToken.None);

        Assert.Equal(4000, summary.Residents);
        Assert.Equal(39, summary.Townships);
        Assert.InRange(summary.Bound, 1200, 1600);
        Assert.InRange(summary.Paid, 1200, 2200);
        Assert.Equal(4000, await server.CountAsync("SELECT COUNT(*) FROM residents WHERE policy_id = 'pengshui-2024'"));
        Assert.Equal(summary.Bound, await server.CountAsync($"SELECT COUNT(*) FROM resident_bindings WHERE app_id = '{ResidentServer.AppId}'"));
        Assert.Equal(summary.Paid, await server.CountAsync("SELECT COUNT(*) FROM payment_events WHERE source = 'demo'"));
        Assert.Equal(summary.Paid, await server.CountAsync("SELECT COUNT(*) FROM residents WHERE paid_year = 2024"));

        // 汉葭街道 holds 54,708 of 554,440 (9.9 %) in the target table.
        var hanjia = await server.CountAsync("SELECT COUNT(*) FROM residents WHERE township = '汉葭街道'");
        Assert.InRange(hanjia, 300, 500);

        var registry = server.Services.GetRequiredService<ResidentRegistry>();
        var people = await registry.GetAsync(Enumerable.Range(1, 200).Select(i => (long)i).ToArray(), CancellationToken.None);
        Assert.Equal(200, people.Count);
        foreach (var person in people)
        {
            Assert.True(ResidentIdNumber.TryParse(person.IdNumber, Today, out var number, out var error), $"{person.Id}: {error}");
            Assert.Equal("500243", number.Value.RegionCode);
            Assert.Equal(number.Value.BirthDate, person.BirthDate);
            Assert.InRange(person.Name.Length, 2, 3);
            Assert.All(person.CategoryCodes, code => Assert.NotNull(policy.FindCategoryByCode(code)));
            if (person.PaidOn is { } paidOn)
            {
                Assert.True(policy.IsPayable(paidOn), $"{person.Id} paid on {paidOn}, not a payable day");
                Assert.True(paidOn <= Today);
            }
        }

        // A second run on the same registry would duplicate ID numbers: refused.
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            generator.GenerateAsync(new DemoCountyRequest("pengshui-2024", 10, null), Today, CancellationToken.None));

        // The registry keeps working after explicit ids: the next insert gets a fresh one.
        var next = await server.SeedAsync("新来的", TestIds.Next());
        Assert.Equal(4001, next);
    }

    [Fact]
    public async Task Amounts_of_demo_payments_are_the_policy_quote_for_that_day()
    {
        using var sqlite = new TempSqliteFile();
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString);
        var policy = server.Services.GetRequiredService<PolicyCatalog>().Get("wenxi-2024");
        await server.Services.GetRequiredService<DemoCountyGenerator>()
            .GenerateAsync(new DemoCountyRequest("wenxi-2024", 500, null, Seed: 3, PaidShare: 1), Today, CancellationToken.None);

        var registry = server.Services.GetRequiredService<ResidentRegistry>();
        var amounts = await AmountsAsync(sqlite.ConnectionString);
        var people = await registry.GetAsync(amounts.Keys.ToArray(), CancellationToken.None);
        Assert.NotEmpty(people);
        foreach (var person in people)
        {
            var quote = policy.Quote(new ResidentFacts { Categories = person.CategoryCodes, BirthDate = person.BirthDate, Tier = policy.Tiers[0].Number }, person.PaidOn!.Value);
            Assert.Equal(quote.IndividualDueFen, amounts[person.Id]);
        }
    }

    [Fact]
    public async Task The_command_fills_the_configured_database_and_explains_bad_arguments()
    {
        using var sqlite = new TempSqliteFile();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string[] args =
        [
            "demo", "--policy", "suiping-2025", "--residents", "300", "--seed", "5",
            $"--ConnectionStrings:Default={sqlite.ConnectionString}", "--Clock:Now=2024-10-01T10:00:00+08:00",
            "--PersonalData:ActiveKeyId=k1", $"--PersonalData:Keys:k1={key}", $"--PersonalData:LookupKey={key}",
        ];
        using var output = new StringWriter();

        var status = await DemoCommand.RunAsync(args, output, CancellationToken.None);
        using var usage = new StringWriter();
        var bad = await DemoCommand.RunAsync(["demo", "--policy", "suiping-2025", "--residents", "many"], usage, CancellationToken.None);

        Assert.True(status == 0, output.ToString());
        Assert.Contains("300 residents of suiping-2025", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, bad);
        Assert.StartsWith("usage: demo --policy", usage.ToString(), StringComparison.Ordinal);
        await using var connection = new SqliteConnection(sqlite.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM residents WHERE policy_id = 'suiping-2025'";
        Assert.Equal(300L, await command.ExecuteScalarAsync());
    }

    private static async Task<Dictionary<long, long?>> AmountsAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT resident_id, amount_fen FROM payment_events";
        await using var reader = await command.ExecuteReaderAsync();
        var amounts = new Dictionary<long, long?>();
        while (await reader.ReadAsync())
        {
            amounts[reader.GetInt64(0)] = reader.IsDBNull(1) ? null : reader.GetInt64(1);
        }

        return amounts;
    }
}
