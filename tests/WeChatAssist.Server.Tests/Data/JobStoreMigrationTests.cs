using System.Globalization;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Data.Schema;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

/// <summary>Schema 15 drops the old scheduler's job-store tables from a database at schema 14 and keeps every other
/// row; the shortened version 1 is accepted on a database that recorded the released text's checksum.</summary>
public sealed class JobStoreMigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly int Version = SchemaCatalog.FromEmbeddedScripts().Migrations.Single(m => m.Name == "job_store_hangfire").Version;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Upgrading_from_schema_14_drops_the_job_store_tables_and_keeps_every_other_row(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        await using var target = Databases.Target(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString);

        // A database as schema 14 left it: the job-store tables version 1 created, and version 1's released checksum.
        var dialect = provider == DatabaseProvider.Postgres ? "postgres" : "sqlite";
        var fixture = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", $"schema14_job_store.{dialect}.sql"));
        foreach (var batch in new SchemaMigration(1, "fixture", fixture, fixture).BatchesFor(provider))
        {
            await Databases.ScalarAsync(target, batch);
        }

        Assert.Equal(Enumerable.Range(1, 14), await Databases.Migrator(target).MigrateToAsync(14, CancellationToken.None));
        await Databases.ScalarAsync(target, $"UPDATE schema_version SET checksum = '{SchemaCatalog.EarlierChecksums[(1, ISqlDialect.For(provider).ScriptSuffix)]}' WHERE version = 1");
        var now = provider == DatabaseProvider.Postgres ? "TIMESTAMPTZ '2024-11-01 00:00:00+08'" : "'2024-10-31T16:00:00.0000000+00:00'";
        var birth = provider == DatabaseProvider.Postgres ? "DATE '1980-01-01'" : "'1980-01-01'";
        var created = provider == DatabaseProvider.Postgres ? "TIMESTAMPTZ '2023-11-10 00:00:00+00'" : "1699574400000";
        await Databases.ScalarAsync(target, $"""
            INSERT INTO app_settings (key, value, updated_at) VALUES ('notice', '缴费通知', {now});
            INSERT INTO residents (id, policy_id, township, village, name_encrypted, id_number_encrypted, id_hash, birth_date, created_at)
            VALUES (1, 'pengshui-2024', '汉葭街道', '文家村', 'x', 'x', 'h1', {birth}, {created});
            INSERT INTO qrtz_locks (sched_name, lock_name) VALUES ('WeChatAssist', 'TRIGGER_ACCESS');
            """);
        Assert.Equal(15, await JobStoreTablesAsync(target));

        // Schema 14 upgrades through 15 (this change) and whatever later versions exist.
        var applied = await Databases.Migrator(target).MigrateAsync(CancellationToken.None);
        Assert.Equal(Version, applied[0]);

        Assert.Equal(0, await JobStoreTablesAsync(target));
        Assert.Equal("缴费通知", await Databases.ScalarAsync(target, "SELECT value FROM app_settings WHERE key = 'notice'"));
        Assert.Equal(1L, Convert.ToInt64(await Databases.ScalarAsync(target, "SELECT COUNT(*) FROM residents WHERE id_hash = 'h1'"), CultureInfo.InvariantCulture));
        Assert.Equal(Enumerable.Range(1, applied[^1]), await Databases.SchemaVersionsAsync(target));
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task A_new_database_never_creates_the_job_store_tables(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        await using var target = Databases.Target(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString);

        await Databases.Migrator(target).MigrateAsync(CancellationToken.None);

        Assert.Equal(0, await JobStoreTablesAsync(target));
    }

    [Fact]
    public async Task Any_other_edit_of_a_released_version_is_still_refused()
    {
        using var file = new TempSqliteFile();
        await using var target = Databases.Target(DatabaseProvider.Sqlite, file.ConnectionString);
        await Databases.Migrator(target).MigrateAsync(CancellationToken.None);
        await Databases.ScalarAsync(target, "UPDATE schema_version SET checksum = 'cad4c604a79487f778ab8ad12a1351148c22c589e81c7f4bf603a253d0ac7438' WHERE version = 1");

        // That is version 1's earlier PostgreSQL checksum: accepted for PostgreSQL only, so a SQLite database refuses it.
        var ex = await Assert.ThrowsAsync<DatabaseStartupException>(() => Databases.Migrator(target).MigrateAsync(CancellationToken.None));
        Assert.Contains("Released versions must not be edited", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<int> JobStoreTablesAsync(DatabaseTarget target) =>
        Convert.ToInt32(
            await Databases.ScalarAsync(target, target.Provider == DatabaseProvider.Postgres
                ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'qrtz\\_%'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND lower(name) LIKE 'qrtz\\_%' ESCAPE '\\'"),
            CultureInfo.InvariantCulture);
}
