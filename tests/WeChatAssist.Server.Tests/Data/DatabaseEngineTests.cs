using System.Text.RegularExpressions;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

/// <summary>The provider is chosen once, from <c>Database:Provider</c>, as one engine that is also its dialect; nothing
/// else in the server names a provider, and the migrator records what it did as before.</summary>
public sealed partial class DatabaseEngineTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Postgres", "Postgres", "postgres")]
    [InlineData("postgres", "Postgres", "postgres")]
    [InlineData("Sqlite", "Sqlite", "sqlite")]
    [InlineData("SQLITE", "Sqlite", "sqlite")]
    public void A_configured_provider_name_chooses_one_engine_that_is_also_its_dialect(string name, string providerName, string scriptSuffix)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        var engine = IDatabaseEngine.Named(name);

        Assert.NotNull(engine);
        Assert.Equal(provider, engine.Provider);
        Assert.Same(engine, engine.Dialect);
        Assert.Same(engine.Dialect, ISqlDialect.For(provider));
        Assert.Equal(scriptSuffix, engine.Dialect.ScriptSuffix);
        Assert.Same(engine, new DatabaseOptions { Provider = name }.Engine);
    }

    [Theory]
    [InlineData("MySql")]
    [InlineData("")]
    [InlineData("7")]
    public void A_name_that_is_no_provider_chooses_no_engine(string name) =>
        Assert.Null(IDatabaseEngine.Named(name));

    [Fact]
    public void Without_a_provider_the_server_runs_on_SQLite() =>
        Assert.Equal(DatabaseProvider.Sqlite, new DatabaseOptions().Engine!.Provider);

    [Fact]
    public void No_server_source_outside_the_dialect_component_names_a_provider()
    {
        var dialectComponent = new[] { "SqlDialect.cs", "PostgresDialect.cs", "SqliteDialect.cs" };
        var source = Path.Combine(RepositoryRoot(), "src", "WeChatAssist.Server");
        var files = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(files);
        Assert.Contains(files, f => dialectComponent.Contains(Path.GetFileName(f)) && ProviderSwitch().IsMatch(File.ReadAllText(f)));

        var offenders = files
            .Where(f => !dialectComponent.Contains(Path.GetFileName(f)) && ProviderSwitch().IsMatch(File.ReadAllText(f)))
            .Select(f => Path.GetRelativePath(source, f));
        Assert.Empty(offenders);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task The_migrator_records_when_it_applied_each_version_as_the_provider_stores_that_column(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        await using var target = Databases.Target(provider, provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString);
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        await Databases.Migrator(target).MigrateToAsync(2, CancellationToken.None);

        // timestamptz on PostgreSQL; ISO 8601 text at offset zero on SQLite, as the schema has always had it.
        var appliedAt = await Databases.ScalarAsync(target, "SELECT applied_at FROM schema_version WHERE version = 2");
        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}\+00:00$", Assert.IsType<string>(appliedAt));
        }

        Assert.InRange(SqlTypeHandlers.ReadInstant(appliedAt!), before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal([1, 2], await Databases.SchemaVersionsAsync(target));
    }

    [GeneratedRegex(@"DatabaseProvider\.(Postgres|Sqlite)\b")]
    private static partial Regex ProviderSwitch();

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "WeChatAssist.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("WeChatAssist.sln not found above " + AppContext.BaseDirectory);
    }
}
