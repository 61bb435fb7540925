using System.Data.Common;

namespace WeChatAssist.Server.Data;

/// <summary>Commands, parameters, and instants for code that still builds commands by hand; Dapper and the dialect
/// (<see cref="ISqlDialect"/>, <see cref="SqlTypeHandlers"/>) replace it store by store.</summary>
internal static class SqlInstants
{
    /// <summary>A command with <paramref name="sql"/> on <paramref name="connection"/>, inside <paramref name="transaction"/> when given.</summary>
    public static DbCommand Command(this DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A text parameter that may be null, typed so that PostgreSQL accepts it in <c>@x IS NULL</c>.</summary>
    public static void AddText(this DbCommand command, string name, string? value)
    {
        command.AddParameter(name, value);
        command.Parameters[name].DbType = System.Data.DbType.String;
    }

    public static void AddInstant(this DbCommand command, DatabaseProvider provider, string name, DateTimeOffset instant) =>
        command.AddParameter(name, ISqlDialect.For(provider).Instant(instant));

    public static DateTimeOffset GetInstant(this DbDataReader reader, DatabaseProvider provider, int ordinal) =>
        SqlTypeHandlers.ReadInstant(reader.GetValue(ordinal));
}
