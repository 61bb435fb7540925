using System.Data.Common;
using System.Globalization;
using Dapper;

namespace WeChatAssist.Server.Data;

/// <summary>SQLite: instants as Unix milliseconds, dates as <c>yyyy-MM-dd</c> text, flags as 0/1, JSON as text; one
/// writer at a time, so no row locks are needed.</summary>
internal sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public string ScriptSuffix => "sqlite";

    public bool ParallelReads => false;

    public bool HasNotifications => false;

    // julianday has sub-millisecond precision; 2440587.5 is the Julian day of the Unix epoch.
    public string Now => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

    public string ForUpdate => "";

    public string ForUpdateSkipLocked => "";

    public DbDataSource CreateDataSource(string connectionString, int commandTimeoutSeconds) =>
        Microsoft.Data.Sqlite.SqliteFactory.Instance.CreateDataSource(
            new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString) { DefaultTimeout = commandTimeoutSeconds }.ConnectionString);

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
}
