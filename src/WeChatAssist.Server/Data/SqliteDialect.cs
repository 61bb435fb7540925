using System.Data.Common;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace WeChatAssist.Server.Data;

/// <summary>SQLite: instants as Unix milliseconds, dates as <c>yyyy-MM-dd</c> text, flags as 0/1, JSON as text; one
/// writer at a time, so no row locks are needed; an embedded file (or memory), refused at start-up when it is not a
/// database, migrated one exclusive transaction per version.</summary>
internal sealed class SqliteDialect : ISqlDialect, IDatabaseEngine
{
    public static readonly SqliteDialect Instance = new();

    // SQLite primary result codes for "this is not a database" and "the database is damaged".
    private const int SqliteNotADatabase = 26;
    private const int SqliteCorrupt = 11;

    // How long a migration statement, and so a wait for another process's exclusive transaction, may take.
    private const int MigrationLockWaitSeconds = 600;

    private SqliteDialect()
    {
    }

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public ISqlDialect Dialect => this;

    public string ScriptSuffix => "sqlite";

    public bool ParallelReads => false;

    public bool HasNotifications => false;

    // julianday has sub-millisecond precision; 2440587.5 is the Julian day of the Unix epoch.
    public string Now => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    public string ForUpdate => "";

    public string ForUpdateSkipLocked => "";

    public DbDataSource CreateDataSource(string connectionString, int commandTimeoutSeconds) =>
        SqliteFactory.Instance.CreateDataSource(
            new SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = commandTimeoutSeconds }.ConnectionString);

    public string? TransactionLock => null;

    public string IsTrue(string column) => column + " = 1";

    public string Json(string parameter) => parameter;

    public string AnyOf(string parameter) => "IN " + parameter;

    public string RandomMilliseconds(string spreadMilliseconds) => $"(abs(random()) % ({spreadMilliseconds} + 1))";

    public string AddMilliseconds(string instant, string milliseconds) => $"{instant} + ({milliseconds})";

    public string? Analyze(string table) => null;

    public object Instant(DateTimeOffset instant) => instant.ToUnixTimeMilliseconds();

    public object TextInstant(DateTimeOffset instant) => instant.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public object? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public object Flag(bool value) => value ? 1 : 0;

    public string ColumnType(BulkType type) => type is BulkType.Integer or BulkType.Bigint or BulkType.Instant ? "INTEGER" : "TEXT";

    public Task CreateTemporaryTableAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken) =>
        BulkRows.ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS temp.{table}; CREATE TEMP TABLE {table} ({BulkRows.Definitions(this, columns)})", cancellationToken);

    public Task DropTemporaryTableAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken cancellationToken) =>
        BulkRows.ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS temp.{table}", cancellationToken);

    public async Task<IReadOnlyList<long>> AllocateIdsAsync(DbConnection connection, DbTransaction transaction, string table, int count, CancellationToken cancellationToken)
    {
        var first = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = @table), 0), COALESCE((SELECT MAX(id) FROM {table}), 0))", new { table }, transaction, cancellationToken: cancellationToken)) + 1;
        return [.. Enumerable.Range(0, count).Select(i => first + i)];
    }

    public async Task<int> WriteRowsAsync<T>(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, Func<T, object?[]> values, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => c.Name));
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = $"INSERT INTO {table} ({names}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        var parameters = columns.Select((_, i) =>
        {
            var parameter = insert.CreateParameter();
            parameter.ParameterName = "$p" + i.ToString(CultureInfo.InvariantCulture);
            insert.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        var count = 0;
        foreach (var row in rows)
        {
            var v = values(row);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = v[i] switch
                {
                    null => DBNull.Value,
                    DateOnly date => Date(date),
                    DateTimeOffset instant => Instant(instant),
                    var value => value,
                };
            }

            count += await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return count;
    }

    public void Validate(DatabaseOptions options, ICollection<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (string.IsNullOrWhiteSpace(options.DataDirectory))
            {
                failures.Add("Database:DataDirectory: must not be empty when no connection string is given.");
            }

            return;
        }

        try
        {
            _ = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            // Usually a PostgreSQL connection string with Database:Provider left at its default.
            failures.Add($"{DatabaseOptions.ConnectionStringKey}: is not a valid SQLite connection string ({ex.Message}); for PostgreSQL set Database:Provider to 'Postgres'.");
        }
    }

    public DatabaseTarget CreateTarget(DatabaseOptions options, string contentRoot)
    {
        var sqlite = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataDirectory, DatabaseTarget.DefaultSqliteFileName) }
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
            this,
            connectionString,
            SqliteFactory.Instance.CreateDataSource(connectionString),
            filePath is null ? "SQLite in memory" : $"SQLite file '{filePath}'",
            filePath);
    }

    public async Task<DbConnection> OpenCheckedAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        if (target.SqliteFilePath is { } path)
        {
            var directory = Path.GetDirectoryName(path)!;
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DatabaseStartupException($"The data folder '{directory}' cannot be created ({ex.Message}). Set Database:DataDirectory or {DatabaseOptions.ConnectionStringKey} to a writable place.", ex);
            }
        }

        var connection = target.DataSource.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Opening is lazy; the first read of the header is what finds a file that is not a database.
            await connection.ExecuteScalarAsync(new CommandDefinition("PRAGMA schema_version;", cancellationToken: cancellationToken));
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            await connection.DisposeAsync();
            throw new DatabaseStartupException(
                $"{target.Description} is not a usable SQLite database ({ex.Message.TrimEnd('.')}). It was left untouched: move it aside or restore it from a backup, then start again.",
                ex);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new DatabaseStartupException($"{target.Description} cannot be opened: {ex.Message}", ex);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // Every failure to open a file is mapped by OpenCheckedAsync; nothing is waited for.
    public ConnectFailure ClassifyConnectFailure(Exception exception) => ConnectFailure.None;

    public string SchemaVersionTable =>
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)";

    public string ScriptOf(Schema.SchemaMigration migration) => migration.SqliteSql;

    // WAL lets the scheduler, the stores and readers share the file; the setting persists in the file. Processes
    // migrating together serialise on BeginMigrationTransactionAsync's exclusive transaction instead of a lock.
    public async Task BeginMigratingAsync(DbConnection connection, DatabaseTarget target, CancellationToken cancellationToken)
    {
        if (target.SqliteFilePath is not null)
        {
            await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL;", commandTimeout: MigrationLockWaitSeconds, cancellationToken: cancellationToken));
        }
    }

    public Task EndMigratingAsync(DbConnection connection) => Task.CompletedTask;

    public async Task<DbTransaction?> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition("BEGIN EXCLUSIVE;", commandTimeout: MigrationLockWaitSeconds, cancellationToken: cancellationToken));
        return null;
    }

    private static bool IsInMemory(SqliteConnectionStringBuilder builder) =>
        builder.Mode == SqliteOpenMode.Memory || string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal);
}
