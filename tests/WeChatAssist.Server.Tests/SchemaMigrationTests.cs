using Microsoft.Data.Sqlite;
using Npgsql;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Data.Schema;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class SchemaMigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly int Latest = SchemaCatalog.FromEmbeddedScripts().LatestVersion;

    [Fact]
    public async Task Schema_applies_to_an_empty_PostgreSQL_database()
    {
        await using var target = Databases.Target(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());

        var applied = await Databases.Migrator(target).MigrateAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, Latest), applied);
        Assert.Equal(Enumerable.Range(1, Latest), await Databases.SchemaVersionsAsync(target));
        foreach (var table in new[] { "app_settings", "message_dedupe" })
        {
            Assert.Equal(1L, await Databases.ScalarAsync(target, $"SELECT count(*) FROM information_schema.tables WHERE table_name = '{table}'"));
        }
    }

    [Fact]
    public async Task Schema_applies_to_an_empty_SQLite_file()
    {
        using var file = new TempSqliteFile();
        await using var target = Databases.Target(DatabaseProvider.Sqlite, file.ConnectionString);

        var applied = await Databases.Migrator(target).MigrateAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, Latest), applied);
        foreach (var table in new[] { "app_settings", "message_dedupe" })
        {
            Assert.Equal(1L, await Databases.ScalarAsync(target, $"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
        }
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task A_database_at_the_previous_version_is_upgraded_and_keeps_its_data(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        var connectionString = provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString;
        await using var target = Databases.Target(provider, connectionString);
        Assert.Equal(Enumerable.Range(1, Latest - 1), await Databases.Migrator(target).MigrateToAsync(Latest - 1, CancellationToken.None));
        await using (var insert = target.DataSource.CreateCommand("INSERT INTO app_settings (key, value, updated_at) VALUES ('notice', 'kept', '2026-01-01T00:00:00Z')"))
        {
            await insert.ExecuteNonQueryAsync();
        }

        var applied = await Databases.Migrator(target).MigrateAsync(CancellationToken.None);

        Assert.Equal([Latest], applied);
        Assert.Equal(Enumerable.Range(1, Latest), await Databases.SchemaVersionsAsync(target));
        Assert.Equal("kept", await Databases.ScalarAsync(target, "SELECT value FROM app_settings WHERE key = 'notice'"));
    }

    [Fact]
    public async Task The_server_upgrades_a_PostgreSQL_database_at_the_previous_version_when_it_starts()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var target = Databases.Target(DatabaseProvider.Postgres, connectionString);
        await Databases.Migrator(target).MigrateToAsync(Latest - 1, CancellationToken.None);

        await using var server = ServerFactory.ForPostgres(connectionString);
        var (status, body) = await HealthProbe.WaitForHealthyAsync(server.CreateClient());

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Equal(Latest, body.GetProperty("checks").GetProperty("database").GetProperty("data").GetProperty("schemaVersion").GetInt32());
        Assert.Equal(Enumerable.Range(1, Latest), await Databases.SchemaVersionsAsync(target));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Migrating_an_up_to_date_database_applies_nothing(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        var connectionString = provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString;
        await using var target = Databases.Target(provider, connectionString);
        await Databases.Migrator(target).MigrateAsync(CancellationToken.None);

        Assert.Empty(await Databases.Migrator(target).MigrateAsync(CancellationToken.None));
        Assert.Equal(Enumerable.Range(1, Latest), await Databases.SchemaVersionsAsync(target));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Migrators_racing_on_one_database_apply_each_version_exactly_once(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        var connectionString = provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString;
        var targets = Enumerable.Range(0, 4).Select(_ => Databases.Target(provider, connectionString)).ToList();
        try
        {
            using var start = new Barrier(targets.Count);
            var runs = targets.Select(target => Task.Run(async () =>
            {
                start.SignalAndWait();
                return await Databases.Migrator(target).MigrateAsync(CancellationToken.None);
            }));

            var applied = (await Task.WhenAll(runs)).SelectMany(versions => versions).Order();

            Assert.Equal(Enumerable.Range(1, Latest), applied);
            Assert.Equal(Enumerable.Range(1, Latest), await Databases.SchemaVersionsAsync(targets[0]));
        }
        finally
        {
            foreach (var target in targets)
            {
                await target.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task An_edited_released_version_is_refused_by_checksum(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        var connectionString = provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString;
        await using var target = Databases.Target(provider, connectionString);
        await Databases.Migrator(target).MigrateAsync(CancellationToken.None);
        await using (var tamper = target.DataSource.CreateCommand("UPDATE schema_version SET checksum = 'deadbeefdeadbeefdeadbeef' WHERE version = 1"))
        {
            await tamper.ExecuteNonQueryAsync();
        }

        var ex = await Assert.ThrowsAsync<DatabaseStartupException>(() => Databases.Migrator(target).MigrateAsync(CancellationToken.None));

        Assert.Contains("Schema version 1 (initial)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("add a new version", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_version_leaves_nothing_behind_on_PostgreSQL()
    {
        await using var target = Databases.Target(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync());
        var broken = new SchemaCatalog([new SchemaMigration(1, "broken", "CREATE TABLE half_done (id int);\nCREATE TABLE oops (", "")]);
        var migrator = new SchemaMigrator(target, Databases.Connector(target), broken, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<SchemaMigrator>.Instance);

        var ex = await Assert.ThrowsAsync<DatabaseStartupException>(() => migrator.MigrateAsync(CancellationToken.None));

        Assert.Contains("Schema version 1 (broken) failed", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await Databases.ScalarAsync(target, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'half_done'"));
        Assert.Empty(await Databases.SchemaVersionsAsync(target));
    }
}
