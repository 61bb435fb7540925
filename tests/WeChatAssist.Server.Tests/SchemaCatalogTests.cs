using WeChatAssist.Server.Data;
using WeChatAssist.Server.Data.Schema;

namespace WeChatAssist.Server.Tests;

public sealed class SchemaCatalogTests
{
    private readonly SchemaCatalog _catalog = SchemaCatalog.FromEmbeddedScripts();

    [Fact]
    public void Embedded_versions_run_from_one_without_gaps_and_there_are_at_least_two()
    {
        Assert.True(_catalog.LatestVersion >= 2);
        Assert.Equal(Enumerable.Range(1, _catalog.LatestVersion), _catalog.Migrations.Select(m => m.Version));
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public void Version_one_creates_app_settings_and_no_job_store_table(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        var sql = _catalog.Migrations[0].SqlFor(provider).ToUpperInvariant();

        Assert.Contains("CREATE TABLE APP_SETTINGS (", sql, StringComparison.Ordinal);
        Assert.DoesNotContain("CREATE TABLE IF NOT EXISTS QRTZ_", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Scripts_are_split_on_separator_lines_and_comment_only_batches_are_dropped()
    {
        var migration = new SchemaMigration(1, "t", "-- header\n--;;\nCREATE TABLE a (x int)\n--;;\n-- only a comment\n--;;\nCREATE TABLE b (y int);\nCREATE TABLE c (z int);\n", "");
        var batches = migration.BatchesFor(DatabaseProvider.Postgres);
        Assert.Equal(2, batches.Count);
        Assert.Contains("CREATE TABLE a", batches[0], StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE c", batches[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Checksum_ignores_line_endings_but_not_content()
    {
        var lf = new SchemaMigration(1, "t", "CREATE TABLE a (x int);\n", "");
        var crlf = new SchemaMigration(1, "t", "CREATE TABLE a (x int);\r\n", "");
        var edited = new SchemaMigration(1, "t", "CREATE TABLE a (x bigint);\n", "");
        Assert.Equal(lf.ChecksumFor(DatabaseProvider.Postgres), crlf.ChecksumFor(DatabaseProvider.Postgres));
        Assert.NotEqual(lf.ChecksumFor(DatabaseProvider.Postgres), edited.ChecksumFor(DatabaseProvider.Postgres));
    }

    [Fact]
    public void A_gap_in_the_versions_is_refused()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new SchemaCatalog([new SchemaMigration(1, "a", "", ""), new SchemaMigration(3, "c", "", "")]));
        Assert.Contains("without gaps", ex.Message, StringComparison.Ordinal);
    }
}
