using WeChatAssist.Server.Data;
using WeChatAssist.Server.Data.Schema;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Corrections;

/// <summary>The schema version that adds message retries, photo retention and correction-sourced category history
/// gives corrections reviewed before it their message's final state (tried once, never again) and review date.</summary>
public sealed class CorrectionFollowupMigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static readonly int Version = SchemaCatalog.FromEmbeddedScripts().Migrations.Single(m => m.Name == "correction_followup").Version;

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Corrections_reviewed_before_the_upgrade_are_marked_sent_or_failed_and_pending_ones_untouched(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        await using var target = Databases.Target(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString);
        await Databases.Migrator(target).MigrateToAsync(Version - 1, CancellationToken.None);

        // 2023-11-14 20:00 UTC is 2023-11-15 04:00 in China: the review date is China's.
        var (reviewed, created) = provider == DatabaseProvider.Postgres
            ? ("TIMESTAMPTZ '2023-11-14 20:00:00+00'", "TIMESTAMPTZ '2023-11-10 00:00:00+00'")
            : ("1699992000000", "1699574400000");
        var birth = provider == DatabaseProvider.Postgres ? "DATE '1980-01-01'" : "'1980-01-01'";
        await Databases.ScalarAsync(target, $"""
            INSERT INTO residents (id, policy_id, township, village, name_encrypted, id_number_encrypted, id_hash, birth_date, created_at)
            VALUES (1, 'pengshui-2024', '汉葭街道', '文家村', 'x', 'x', 'h1', {birth}, {created});
            INSERT INTO corrections (id, resident_id, account, app_id, open_id, field, new_value_encrypted, status, reviewed_at, notified_at, notify_error, created_at) VALUES
              (1, 1, 'pengshui', 'wx', 'o1', 'household', 'x', 'approved', {reviewed}, {reviewed}, NULL, {created}),
              (2, 1, 'pengshui', 'wx', 'o1', 'household', 'x', 'rejected', {reviewed}, NULL, 'WeChat error 43101 (Permanent): refused', {created}),
              (3, 1, 'pengshui', 'wx', 'o1', 'household', 'x', 'pending', NULL, NULL, NULL, {created});
            """);

        Assert.Equal([Version], await Databases.Migrator(target).MigrateToAsync(Version, CancellationToken.None));

        Assert.Equal("sent|1|2023-11-15", await RowAsync(target, 1));
        Assert.Equal("failed|1|2023-11-15", await RowAsync(target, 2));
        Assert.Equal("-|0|-", await RowAsync(target, 3));
        Assert.Equal(0L, Convert.ToInt64(await Databases.ScalarAsync(target, "SELECT COUNT(*) FROM corrections WHERE photo_deleted_at IS NOT NULL OR notify_next_at IS NOT NULL"), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<string?> RowAsync(DatabaseTarget target, int id) =>
        (string?)await Databases.ScalarAsync(target, $"""
            SELECT COALESCE(notify_status, '-') || '|' || CAST(notify_attempts AS TEXT) || '|' || COALESCE(CAST(reviewed_on AS TEXT), '-') FROM corrections WHERE id = {id}
            """);
}
