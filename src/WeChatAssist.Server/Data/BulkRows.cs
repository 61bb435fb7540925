using System.Data.Common;
using Dapper;

namespace WeChatAssist.Server.Data;

/// <summary>The column types staging uses.</summary>
internal enum BulkType
{
    Text,
    Integer,
    Bigint,
    Date,

    /// <summary>An instant: <c>timestamptz</c> on PostgreSQL, Unix milliseconds on SQLite (as <see cref="ISqlDialect.Instant"/>).</summary>
    Instant,
}

/// <summary>A column of a staging or target table.</summary>
internal sealed record BulkColumn(string Name, BulkType Type);

/// <summary>Writes many rows into a table on the caller's transaction and creates the per-transaction staging tables;
/// how is the dialect's (<see cref="ISqlDialect.WriteRowsAsync"/>, <see cref="ISqlDialect.CreateTemporaryTableAsync"/>).</summary>
internal static class BulkRows
{
    /// <summary>Creates a temporary table that lives until the transaction ends.</summary>
    public static Task CreateTempAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken) =>
        ISqlDialect.For(provider).CreateTemporaryTableAsync(connection, transaction, table, columns, cancellationToken);

    /// <summary>Drops a SQLite staging table (PostgreSQL's go at commit).</summary>
    public static Task DropAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, string table, CancellationToken cancellationToken) =>
        ISqlDialect.For(provider).DropTemporaryTableAsync(connection, transaction, table, cancellationToken);

    /// <summary>Writes <paramref name="rows"/>; <paramref name="values"/> gives each row's values in column order
    /// (<see langword="null"/> for SQL NULL, <see cref="DateOnly"/> for dates).</summary>
    public static Task<int> WriteAsync<T>(
        DbConnection connection,
        DbTransaction transaction,
        DatabaseProvider provider,
        string table,
        IReadOnlyList<BulkColumn> columns,
        IEnumerable<T> rows,
        Func<T, object?[]> values,
        CancellationToken cancellationToken) =>
        ISqlDialect.For(provider).WriteRowsAsync(connection, transaction, table, columns, rows, values, cancellationToken);

    /// <summary>Runs one statement on the transaction and returns the rows it affected; bulk statements may take
    /// minutes. The parameters are bound by Dapper, as every store's are.</summary>
    public static Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var bound = new DynamicParameters();
        foreach (var (name, value) in parameters)
        {
            bound.Add(name, value);
        }

        return connection.ExecuteAsync(new CommandDefinition(sql, bound, transaction, 600, cancellationToken: cancellationToken));
    }

    /// <summary>"name type, …" for a CREATE TABLE.</summary>
    internal static string Definitions(ISqlDialect dialect, IReadOnlyList<BulkColumn> columns) =>
        string.Join(", ", columns.Select(c => c.Name + " " + dialect.ColumnType(c.Type)));
}
