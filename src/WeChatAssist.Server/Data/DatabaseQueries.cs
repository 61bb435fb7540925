using Dapper;

namespace WeChatAssist.Server.Data;

/// <summary>One statement on a connection of its own, mapped by Dapper: what most store methods need. Work that
/// spans statements opens a connection and a transaction and uses Dapper on them directly.</summary>
internal static class DatabaseQueries
{
    public static async Task<List<T>> QueryAsync<T>(this DatabaseTarget database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))).AsList();
    }

    public static async Task<T?> QuerySingleOrDefaultAsync<T>(this DatabaseTarget database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public static async Task<T?> ExecuteScalarAsync<T>(this DatabaseTarget database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    public static async Task<int> ExecuteAsync(this DatabaseTarget database, string sql, object? parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }
}
