using System.Text.RegularExpressions;
using Dapper;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>The registry's published SQL (<see cref="ResidentSql"/>) that other features compose into their set-based
/// statements: composing it must cost nothing, so planning a county and a tax import stay as fast as when they read
/// the table themselves.</summary>
public sealed partial class ResidentSqlTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    /// <summary>The shapes other features give the roster: the outbox audience (first binding, followers), the claim's
    /// left join by id, the console's grouped push, the import's hash join. <c>{0}</c> is the registry.</summary>
    public static TheoryData<string, string> Statements()
    {
        var statements = new Dictionary<string, string>
        {
            ["audience"] = """
                SELECT r.id, b.app_id FROM {0} r
                JOIN resident_bindings b ON b.resident_id = r.id AND NOT EXISTS (SELECT 1 FROM resident_bindings earlier WHERE earlier.resident_id = r.id AND earlier.id < b.id)
                LEFT JOIN wechat_followers f ON b.union_id IS NOT NULL AND f.union_id = b.union_id
                WHERE r.policy_id = 'pengshui-2024' AND (r.paid_year IS NULL OR r.paid_year < 2026) AND r.township = 'town'
                """,
            ["claim"] = "SELECT o.id, r.birth_date, r.category_codes FROM reminder_outbox o LEFT JOIN {0} r ON r.id = o.resident_id WHERE o.id IN (1, 2, 3)",
            ["progress"] = """
                SELECT r.policy_id, r.township, r.village, COUNT(*) FROM payment_events p JOIN {0} r ON r.id = p.resident_id
                WHERE p.batch_id = 'batch' GROUP BY r.policy_id, r.township, r.village
                """,
            ["import"] = """
                SELECT p.resident_id, p.benefit_year FROM payment_events p JOIN {0} r ON r.id = p.resident_id
                WHERE r.policy_id = 'pengshui-2024' AND r.id_hash = 'hash' AND p.benefit_year = 2026
                """,
        };
        var data = new TheoryData<string, string>();
        foreach (var provider in new[] { "Sqlite", "Postgres" })
        {
            foreach (var name in statements.Keys)
            {
                data.Add(provider, statements[name]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public async Task A_statement_joining_the_roster_is_planned_as_if_it_joined_the_table_itself(string providerName, string statement)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        await using var target = Databases.Target(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString);
        await Databases.Migrator(target).MigrateAsync(CancellationToken.None);
        await using var connection = await target.DataSource.OpenConnectionAsync();

        var onTable = await PlanAsync(connection, provider, string.Format(System.Globalization.CultureInfo.InvariantCulture, statement, "residents"));
        var onRoster = await PlanAsync(connection, provider, string.Format(System.Globalization.CultureInfo.InvariantCulture, statement, ResidentSql.Roster));

        Assert.Contains(onTable, step => step.Contains("residents", StringComparison.Ordinal));
        Assert.DoesNotContain(onRoster, step => step.Contains("Subquery Scan", StringComparison.Ordinal) || step.Contains("MATERIALIZE", StringComparison.Ordinal) || step.Contains("CO-ROUTINE", StringComparison.Ordinal));
        Assert.Equal(onTable, onRoster);
    }

    /// <summary>The plan's steps with the alias <c>r</c> written as the table and subqueries unnumbered: the roster
    /// names the table where the bare join names its alias, and nothing else may differ.</summary>
    private static async Task<List<string>> PlanAsync(System.Data.Common.DbConnection connection, DatabaseProvider provider, string sql)
    {
        var steps = provider == DatabaseProvider.Postgres
            ? (await connection.QueryAsync<string>("EXPLAIN (COSTS OFF) " + sql)).ToList()
            : (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql)).Select(s => s.Detail).ToList();
        return [.. steps.Select(step => Subquery().Replace(Alias().Replace(TableAlias().Replace(step, "residents"), "residents."), "SUBQUERY"))];
    }

    [GeneratedRegex(@"\bresidents r\b|(?<=(SEARCH|SCAN) )r\b")]
    private static partial Regex TableAlias();

    [GeneratedRegex(@"(?<![\w.])r\.")]
    private static partial Regex Alias();

    [GeneratedRegex(@"SUBQUERY \d+")]
    private static partial Regex Subquery();
}
