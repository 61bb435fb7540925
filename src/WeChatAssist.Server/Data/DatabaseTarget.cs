using System.Data.Common;

namespace WeChatAssist.Server.Data;

/// <summary>The one database this node uses, resolved from validated <see cref="DatabaseOptions"/>:
/// the migrator, the stores, the job storage (PostgreSQL) and the health check all connect through <see cref="DataSource"/>.</summary>
internal sealed class DatabaseTarget : IAsyncDisposable
{
    /// <summary>The SQLite file name used when no connection string is configured.</summary>
    public const string DefaultSqliteFileName = "wechatassist.db";

    static DatabaseTarget() => SqlTypeHandlers.Register();

    /// <summary>Built by the provider's engine (<see cref="IDatabaseEngine.CreateTarget"/>).</summary>
    internal DatabaseTarget(IDatabaseEngine engine, string connectionString, DbDataSource dataSource, string description, string? sqliteFilePath)
    {
        Engine = engine;
        ConnectionString = connectionString;
        DataSource = dataSource;
        Description = description;
        SqliteFilePath = sqliteFilePath;
    }

    public DatabaseProvider Provider => Engine.Provider;

    /// <summary>How this provider is reached and migrated; the data layer's plumbing only.</summary>
    public IDatabaseEngine Engine { get; }

    /// <summary>Everything that differs between the providers' SQL; registered as <see cref="ISqlDialect"/>.</summary>
    public ISqlDialect Dialect => Engine.Dialect;

    public string ConnectionString { get; }

    public DbDataSource DataSource { get; }

    /// <summary>Where the database is, without credentials: "PostgreSQL host:port/database" or the SQLite file.</summary>
    public string Description { get; }

    /// <summary>The absolute SQLite file path, or <see langword="null"/> for PostgreSQL and in-memory SQLite.</summary>
    public string? SqliteFilePath { get; }

    /// <summary>Resolves the target through the engine <c>Database:Provider</c> names (the default's when it names
    /// none, which validation reports before anything connects); relative SQLite paths are taken from <paramref name="contentRoot"/>.</summary>
    public static DatabaseTarget Create(DatabaseOptions options, string contentRoot) =>
        (options.Engine ?? IDatabaseEngine.Default).CreateTarget(options, contentRoot);

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
