using Dapper;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

/// <summary>The dialect and Dapper's type handlers, against a migrated database of each provider: one SQL text per
/// query, with the dialect's fragments, reads and writes the same values on both.</summary>
public sealed class SqlDialectTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private sealed record Row(long Id, string Key, DateTimeOffset ExpiresAt);

    private sealed record Preference(string AppId, bool OptedOut, DateTimeOffset UpdatedAt);

    private sealed record Span(long ResidentId, string CategoryCode, DateOnly ValidFrom, DateOnly? ValidTo);

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Instants_dates_and_flags_round_trip_through_Dapper_by_column_name(string providerName)
    {
        using var file = new TempSqliteFile();
        await using var target = await MigratedAsync(providerName, file);
        var dialect = target.Dialect;
        await using var connection = await target.DataSource.OpenConnectionAsync();

        // China time on purpose: PostgreSQL stores only UTC, and the handler must convert rather than fail.
        var expires = new DateTimeOffset(2026, 1, 15, 9, 0, 0, 123, TimeSpan.FromHours(8));
        await connection.ExecuteAsync(
            "INSERT INTO message_dedupe (account, dedupe_key, expires_at) VALUES (@account, @key, @expires)",
            new { account = "county", key = "oUser:1001", expires });
        var row = await connection.QuerySingleAsync<Row>(
            "SELECT 1 AS id, dedupe_key AS key, expires_at FROM message_dedupe WHERE expires_at > @before AND dedupe_key = @key",
            new { before = expires.AddSeconds(-1), key = "oUser:1001" });
        Assert.Equal(expires, row.ExpiresAt);
        Assert.Equal(TimeSpan.Zero, row.ExpiresAt.Offset);
        Assert.Equal(expires, await connection.ExecuteScalarAsync<DateTimeOffset>("SELECT expires_at FROM message_dedupe"));

        await connection.ExecuteAsync(
            "INSERT INTO reminder_preferences (app_id, open_id, kind, opted_out, updated_at) VALUES (@app, 'o1', 'broadcast', @optedOut, @at)",
            new { app = "wx-app", optedOut = true, at = expires });
        var preference = await connection.QuerySingleAsync<Preference>(
            $"SELECT app_id AS {nameof(Preference.AppId)}, opted_out AS {nameof(Preference.OptedOut)}, updated_at AS {nameof(Preference.UpdatedAt)} FROM reminder_preferences WHERE {dialect.IsTrue("opted_out")}");
        Assert.Equal(new Preference("wx-app", true, expires), preference);

        var residentId = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO residents (policy_id, township, village, name_encrypted, id_number_encrypted, id_hash, birth_date, created_at)
            VALUES ('p', 't', 'v', 'x', 'x', 'h', @birth, @at) RETURNING id
            """,
            new { birth = new DateOnly(1980, 2, 29), at = expires });
        await connection.ExecuteAsync(
            "INSERT INTO resident_category_history (resident_id, category_code, valid_from, valid_to) VALUES (@id, 'A', @from, @to), (@id, 'B', @from, NULL)",
            new { id = residentId, from = new DateOnly(2026, 1, 1), to = (DateOnly?)new DateOnly(2026, 6, 30) });
        var spans = (await connection.QueryAsync<Span>(
            "SELECT resident_id AS ResidentId, category_code AS CategoryCode, valid_from AS ValidFrom, valid_to AS ValidTo FROM resident_category_history WHERE resident_id " + dialect.AnyOf("@ids") + " ORDER BY category_code",
            new { ids = new[] { residentId, residentId + 1 } })).ToList();
        Assert.Equal([new Span(residentId, "A", new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30)), new Span(residentId, "B", new DateOnly(2026, 1, 1), null)], spans);
        Assert.Equal(new DateOnly(1980, 2, 29), await connection.ExecuteScalarAsync<DateOnly>("SELECT birth_date FROM residents"));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_current_time_and_random_spreads_are_instants_in_the_schema_s_own_form(string providerName)
    {
        using var file = new TempSqliteFile();
        await using var target = await MigratedAsync(providerName, file);
        var dialect = target.Dialect;
        await using var connection = await target.DataSource.OpenConnectionAsync();

        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var now = await connection.ExecuteScalarAsync<DateTimeOffset>("SELECT " + dialect.Now);
        Assert.InRange(now, before, DateTimeOffset.UtcNow.AddSeconds(5));

        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var spread = await connection.QueryAsync<DateTimeOffset>(
            $"SELECT {dialect.AddMilliseconds("@start", dialect.RandomMilliseconds("@spread"))} FROM (SELECT 1 AS n UNION ALL SELECT 2 UNION ALL SELECT 3) three",
            new { start, spread = 60_000L });
        Assert.Equal(3, spread.Count());
        Assert.All(spread, sendAfter => Assert.InRange(sendAfter, start, start.AddMinutes(1)));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_staging_table_takes_bulk_rows_and_lives_only_for_its_transaction(string providerName)
    {
        using var file = new TempSqliteFile();
        await using var target = await MigratedAsync(providerName, file);
        var dialect = target.Dialect;
        await using var connection = await target.DataSource.OpenConnectionAsync();
        BulkColumn[] columns = [new("id_hash", BulkType.Text), new("day", BulkType.Date), new("at", BulkType.Instant), new("n", BulkType.Integer)];
        var at = new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.FromHours(8));
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await dialect.CreateTemporaryTableAsync(connection, transaction, "staging_keys", columns, CancellationToken.None);
            var written = await dialect.WriteRowsAsync(connection, transaction, "staging_keys", columns, Enumerable.Range(1, 3), i => ["h" + i, new DateOnly(2026, 3, i), at.AddDays(i), i], CancellationToken.None);
            Assert.Equal(3, written);
            if (dialect.Analyze("staging_keys") is { } analyze)
            {
                await connection.ExecuteAsync(analyze, transaction: transaction);
            }

            var rows = (await connection.QueryAsync<(string, DateOnly, DateTimeOffset, int)>(
                "SELECT id_hash, day, at, n FROM staging_keys WHERE n > @min ORDER BY n" + dialect.ForUpdate, new { min = 1 }, transaction)).ToList();
            Assert.Equal([("h2", new DateOnly(2026, 3, 2), at.AddDays(2), 2), ("h3", new DateOnly(2026, 3, 3), at.AddDays(3), 3)], rows);
            await dialect.DropTemporaryTableAsync(connection, transaction, "staging_keys", CancellationToken.None);
            await transaction.CommitAsync();
        }

        // Gone after commit on both: PostgreSQL dropped it, SQLite's was dropped by hand.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => connection.ExecuteScalarAsync<long>("SELECT count(*) FROM staging_keys"));
    }

    private async Task<DatabaseTarget> MigratedAsync(string providerName, TempSqliteFile file)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        var target = Databases.Target(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString);
        await Databases.Migrator(target).MigrateAsync(CancellationToken.None);
        return target;
    }
}
