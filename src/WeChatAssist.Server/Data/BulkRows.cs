using System.Data.Common;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
namespace WeChatAssist.Server.Data;

/// <summary>The column types staging uses.</summary>
internal enum BulkType
{
    Text,
    Integer,
    Bigint,
    Date,

    /// <summary>An instant: <c>timestamptz</c> on PostgreSQL, Unix milliseconds on SQLite (as <c>SqlInstants</c>).</summary>
    Instant,
}

/// <summary>A column of a staging or target table.</summary>
internal sealed record BulkColumn(string Name, BulkType Type);

/// <summary>Writes many rows into a table on the caller's transaction: PostgreSQL binary COPY, or one prepared
/// INSERT per row on SQLite (one transaction either way). Also creates the per-transaction staging tables.</summary>
internal static class BulkRows
{
    /// <summary>Creates a temporary table that lives until the transaction ends (PostgreSQL drops it at commit; on
    /// SQLite the caller drops it with <see cref="DropAsync"/>, a leftover from a pooled connection is replaced).</summary>
    public static async Task CreateTempAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken)
    {
        var definitions = string.Join(", ", columns.Select(c => c.Name + " " + SqlType(provider, c.Type)));
        var sql = provider == DatabaseProvider.Postgres
            ? $"CREATE TEMP TABLE {table} ({definitions}) ON COMMIT DROP"
            : $"DROP TABLE IF EXISTS temp.{table}; CREATE TEMP TABLE {table} ({definitions})";
        await ExecuteAsync(connection, transaction, sql, cancellationToken);
    }

    /// <summary>Drops a SQLite staging table (PostgreSQL's go at commit).</summary>
    public static async Task DropAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, string table, CancellationToken cancellationToken)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS temp.{table}", cancellationToken);
        }
    }

    /// <summary>Writes <paramref name="rows"/>; <paramref name="values"/> gives each row's values in column order
    /// (<see langword="null"/> for SQL NULL, <see cref="DateOnly"/> for dates).</summary>
    public static async Task<int> WriteAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        DatabaseProvider provider,
        string table,
        IReadOnlyList<BulkColumn> columns,
        IEnumerable<T> rows,
        Func<T, object?[]> values,
        CancellationToken cancellationToken)
    {
        var names = string.Join(", ", columns.Select(c => c.Name));
        var count = 0;
        if (provider == DatabaseProvider.Postgres)
        {
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
        foreach (var row in rows)
        {
            var v = values(row);
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = v[i] switch
                {
                    null => DBNull.Value,
                    DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    DateTimeOffset instant => instant.ToUnixTimeMilliseconds(),
                    var value => value,
                };
            }

            count += await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return count;
    }

    /// <summary>Runs one statement on the transaction and returns the rows it affected.</summary>
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 600;
        foreach (var (name, value) in parameters)
        {
            command.AddParameter(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string SqlType(DatabaseProvider provider, BulkType type) => (provider, type) switch
    {
        (DatabaseProvider.Postgres, BulkType.Text) => "text",
        (DatabaseProvider.Postgres, BulkType.Integer) => "integer",
        (DatabaseProvider.Postgres, BulkType.Bigint) => "bigint",
        (DatabaseProvider.Postgres, BulkType.Instant) => "timestamptz",
        (DatabaseProvider.Postgres, _) => "date",
        (_, BulkType.Integer or BulkType.Bigint or BulkType.Instant) => "INTEGER",
        _ => "TEXT",
    };

    private static NpgsqlDbType NpgsqlType(BulkType type) => type switch
    {
        BulkType.Text => NpgsqlDbType.Text,
        BulkType.Integer => NpgsqlDbType.Integer,
        BulkType.Bigint => NpgsqlDbType.Bigint,
        BulkType.Instant => NpgsqlDbType.TimestampTz,
        _ => NpgsqlDbType.Date,
    };
}
