using System.Data.Common;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace WeChatAssist.Server.Data;

/// <summary>PostgreSQL: <c>timestamptz</c>, <c>date</c>, <c>boolean</c>, <c>jsonb</c>, row locks, binary COPY; a shared
/// server reached through one pooled <see cref="NpgsqlDataSource"/>, waited for at start-up, migrated under an advisory lock.</summary>
internal sealed class PostgresDialect : ISqlDialect, IDatabaseEngine
{
    public static readonly PostgresDialect Instance = new();

    // How long a migration statement, and so a wait for another node's migration lock, may take.
    private const int MigrationLockWaitSeconds = 600;

    private PostgresDialect()
    {
    }

    public DatabaseProvider Provider => DatabaseProvider.Postgres;

    public ISqlDialect Dialect => this;

    public string ScriptSuffix => "postgres";

    public bool ParallelReads => true;

    public bool HasNotifications => true;

    public string Now => "now()";

    public string ForUpdate => " FOR UPDATE";

    public string ForUpdateSkipLocked => " FOR UPDATE SKIP LOCKED";

    public string? TransactionLock => "SELECT pg_advisory_xact_lock(hashtext(@key))";

    public DbDataSource CreateDataSource(string connectionString, int commandTimeoutSeconds) =>
        new NpgsqlDataSourceBuilder(connectionString) { ConnectionStringBuilder = { CommandTimeout = commandTimeoutSeconds } }.Build();

    public string IsTrue(string column) => column;

    public string Json(string parameter) => $"CAST({parameter} AS jsonb)";

    public string AnyOf(string parameter) => $"= ANY({parameter})";

    public string RandomMilliseconds(string spreadMilliseconds) => $"(random() * {spreadMilliseconds})";

    public string AddMilliseconds(string instant, string milliseconds) => $"{instant} + ({milliseconds}) * interval '1 millisecond'";

    public string? Analyze(string table) => "ANALYZE " + table;

    // Npgsql writes only offset-zero values to timestamptz.
    public object Instant(DateTimeOffset instant) => instant.ToUniversalTime();

    public object TextInstant(DateTimeOffset instant) => instant.ToUniversalTime();

    public object? Date(DateOnly? date) => date;

    public object Flag(bool value) => value;

    public string ColumnType(BulkType type) => type switch
    {
        BulkType.Text => "text",
        BulkType.Integer => "integer",
        BulkType.Bigint => "bigint",
        BulkType.Instant => "timestamptz",
        _ => "date",
    };

    public Task CreateTemporaryTableAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken) =>
        BulkRows.ExecuteAsync(connection, transaction, $"CREATE TEMP TABLE {table} ({BulkRows.Definitions(this, columns)}) ON COMMIT DROP", cancellationToken);

    public Task DropTemporaryTableAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<int> WriteRowsAsync<T>(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, Func<T, object?[]> values, CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => c.Name));
        var count = 0;
        await using var writer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync($"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var row in rows)
        {
            var v = values(row);
            await writer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (v[i] is null)
                {
                    await writer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    var value = v[i] is DateTimeOffset instant ? instant.ToUniversalTime() : v[i]!;
                    await writer.WriteAsync(value, NpgsqlType(columns[i].Type), cancellationToken);
                }
            }

            count++;
        }

        await writer.CompleteAsync(cancellationToken);
        return count;
    }

    // A million ids from the sequence is one statement that may outlast the default 30 s on a busy server.
    public async Task<IReadOnlyList<long>> AllocateIdsAsync(DbConnection connection, DbTransaction transaction, string table, int count, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT nextval(pg_get_serial_sequence(@table, 'id')) FROM generate_series(1, @count)", new { table, count }, transaction, 600, cancellationToken: cancellationToken))).AsList();

    public void Validate(DatabaseOptions options, ICollection<string> failures)
    {
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{DatabaseOptions.ConnectionStringKey}: is required when Database:Provider is 'Postgres' (set it in an environment variable or user secrets).");
            return;
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            failures.Add($"{DatabaseOptions.ConnectionStringKey}: is not a valid PostgreSQL connection string ({ex.Message}).");
        }
    }

    public DatabaseTarget CreateTarget(DatabaseOptions options, string contentRoot)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        var description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        return new DatabaseTarget(this, builder.ConnectionString, NpgsqlDataSource.Create(builder), description, null);
    }

    public async Task<DbConnection> OpenCheckedAsync(DatabaseTarget target, CancellationToken cancellationToken)
    {
        var connection = target.DataSource.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ConnectFailure ClassifyConnectFailure(Exception exception) => exception switch
    {
        NpgsqlException or TimeoutException => DatabaseConnector.IsTransient(exception) ? ConnectFailure.Transient : ConnectFailure.Refused,
        _ => ConnectFailure.None,
    };

    public string SchemaVersionTable =>
        "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)";

    public string ScriptOf(Schema.SchemaMigration migration) => migration.PostgresSql;

    // Session-level, so it spans the per-version transactions; a lock wait may last as long as another node's migration.
    public Task BeginMigratingAsync(DbConnection connection, DatabaseTarget target, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@key)", new { key = Schema.SchemaMigrator.AdvisoryLockKey }, commandTimeout: MigrationLockWaitSeconds, cancellationToken: cancellationToken));

    public Task EndMigratingAsync(DbConnection connection) =>
        connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@key)", new { key = Schema.SchemaMigrator.AdvisoryLockKey }, commandTimeout: MigrationLockWaitSeconds));

    public async Task<DbTransaction?> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    private static NpgsqlDbType NpgsqlType(BulkType type) => type switch
    {
        BulkType.Text => NpgsqlDbType.Text,
        BulkType.Integer => NpgsqlDbType.Integer,
        BulkType.Bigint => NpgsqlDbType.Bigint,
        BulkType.Instant => NpgsqlDbType.TimestampTz,
        _ => NpgsqlDbType.Date,
    };
}
