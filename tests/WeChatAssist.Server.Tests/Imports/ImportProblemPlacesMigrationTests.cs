using WeChatAssist.Server.Data;
using WeChatAssist.Server.Data.Schema;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>Schema 19 gives each import problem the township and village of its row; a database at the version before
/// is upgraded and keeps its recorded problems, which read as empty places.</summary>
public sealed class ImportProblemPlacesMigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly int Version = SchemaCatalog.FromEmbeddedScripts().Migrations.Single(m => m.Name == "import_problem_places").Version;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Upgrading_keeps_every_recorded_problem_and_gives_it_empty_places(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        await using var target = Databases.Target(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString);
        await Databases.Migrator(target).MigrateToAsync(Version - 1, CancellationToken.None);
        var now = provider == DatabaseProvider.Postgres ? "TIMESTAMPTZ '2024-11-01 00:00:00+08'" : "1730390400000";
        await Databases.ScalarAsync(target, $"""
            INSERT INTO imports (id, policy_id, kind, mode, status, file_name, file_sha256, file_bytes, staff_user, started_at)
            VALUES (7, 'wenxi-2024', 'hardship', 'validate', 'validated', '名单.xlsx', 'abc', 10, 'admin', {now});
            INSERT INTO import_problems (import_id, row_number, column_name, severity, code, reason, id_masked, name_masked)
            VALUES (7, 3, '身份证号码', 'error', 'idChecksumMismatch', '校验位错误', '1408**********1234', '柏*');
            """);

        var applied = await Databases.Migrator(target).MigrateAsync(CancellationToken.None);

        Assert.Equal(Version, applied[0]);
        Assert.Equal("1|校验位错误||", await Databases.ScalarAsync(target,
            "SELECT COUNT(*) || '|' || MIN(reason) || '|' || MIN(township) || '|' || MIN(village) FROM import_problems WHERE import_id = 7"));
        await Databases.ScalarAsync(target, """
            INSERT INTO import_problems (import_id, row_number, column_name, severity, code, reason, id_masked, name_masked, township, village)
            VALUES (7, 4, '村(社区)', 'error', 'villageEmpty', '村为空', '', '', '桐城镇', '=1+1')
            """);
        Assert.Equal("=1+1", await Databases.ScalarAsync(target, "SELECT village FROM import_problems WHERE import_id = 7 AND row_number = 4"));
    }
}
