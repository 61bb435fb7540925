using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace WeChatAssist.Server.Data;

/// <summary>The one database this node uses, resolved from validated <see cref="DatabaseOptions"/>:
/// the migrator, the stores, the job storage (PostgreSQL) and the health check all connect through <see cref="DataSource"/>.</summary>
internal sealed class DatabaseTarget : IAsyncDisposable
{
    /// <summary>The SQLite file name used when no connection string is configured.</summary>
    public const string DefaultSqliteFileName = "wechatassist.db";

    static DatabaseTarget() => SqlTypeHandlers.Register();

    private DatabaseTarget(DatabaseProvider provider, string connectionString, DbDataSource dataSource, string description, string? sqliteFilePath)
    {
        Provider = provider;
        Dialect = ISqlDialect.For(provider);
        ConnectionString = connectionString;
        DataSource = dataSource;
        Description = description;
        SqliteFilePath = sqliteFilePath;
    }

    public DatabaseProvider Provider { get; }

    /// <summary>Everything that differs between the providers; registered as <see cref="ISqlDialect"/>.</summary>
    public ISqlDialect Dialect { get; }

    public string ConnectionString { get; }

    public DbDataSource DataSource { get; }

    /// <summary>Where the database is, without credentials: "PostgreSQL host:port/database" or the SQLite file.</summary>
    public string Description { get; }

    /// <summary>The absolute SQLite file path, or <see langword="null"/> for PostgreSQL and in-memory SQLite.</summary>
    public string? SqliteFilePath { get; }

    /// <summary>Resolves the target; relative SQLite paths are taken from <paramref name="contentRoot"/>.</summary>
    public static DatabaseTarget Create(DatabaseOptions options, string contentRoot)
    {
        if (options.ProviderKind == DatabaseProvider.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            var description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
            return new DatabaseTarget(DatabaseProvider.Postgres, builder.ConnectionString, NpgsqlDataSource.Create(builder), description, null);
        }

        var sqlite = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataDirectory, DefaultSqliteFileName) }
            : new SqliteConnectionStringBuilder(options.ConnectionString);
        string? filePath = null;
        if (!IsInMemory(sqlite))
        {
            filePath = Path.GetFullPath(sqlite.DataSource, contentRoot);
            sqlite.DataSource = filePath;
        }

        // Pooling keeps the file open between commands; the 30 s default timeout rides out a writer holding the lock.
        sqlite.Pooling = true;
        var connectionString = sqlite.ConnectionString;
        return new DatabaseTarget(
            DatabaseProvider.Sqlite,
            connectionString,
            SqliteFactory.Instance.CreateDataSource(connectionString),
            filePath is null ? "SQLite in memory" : $"SQLite file '{filePath}'",
            filePath);
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    private static bool IsInMemory(SqliteConnectionStringBuilder builder) =>
        builder.Mode == SqliteOpenMode.Memory || string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal);
}
