using System.Data;
using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;

namespace WeChatAssist.Server.Data;

/// <summary>Teaches Dapper the schema's instants and dates, so rows map by column name on either provider and
/// parameters need no conversion. Dapper's handlers are process-wide while a process may hold both providers (the
/// tests do), so each handler reads whichever value the provider returned, and writes by the parameter's kind.</summary>
internal static class SqlTypeHandlers
{
    private static int _registered;

    /// <summary>Registers the handlers once per process; later calls do nothing.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        // Columns are snake_case (expires_at), members PascalCase (ExpiresAt).
        DefaultTypeMap.MatchNamesWithUnderscores = true;

        // Dapper binds the types it knows itself and consults a handler only for a type it does not know.
        foreach (var type in new[] { typeof(DateTimeOffset), typeof(DateTimeOffset?), typeof(DateOnly), typeof(DateOnly?) })
        {
            SqlMapper.RemoveTypeMap(type);
        }

        SqlMapper.AddTypeHandler(new InstantHandler());
        SqlMapper.AddTypeHandler(new DateHandler());

        // SQLite has one integer type and returns every integer (flags too) as Int64, PostgreSQL an integer column as
        // Int32. Dapper converts those for settable properties but matches a record's constructor only by exact
        // type or a handler; these read handlers let records declare int, long and bool. Parameters keep Dapper's
        // own binding (the types stay in its map).
        SqlMapper.AddTypeHandler(new NumberHandler<int>(value => Convert.ToInt32(value, CultureInfo.InvariantCulture)));
        SqlMapper.AddTypeHandler(new NumberHandler<long>(value => Convert.ToInt64(value, CultureInfo.InvariantCulture)));
        SqlMapper.AddTypeHandler(new NumberHandler<bool>(value => Convert.ToBoolean(value, CultureInfo.InvariantCulture)));
    }

    /// <summary>An instant from <c>timestamptz</c> (Npgsql returns a UTC <see cref="DateTime"/>), Unix milliseconds
    /// (SQLite), or ISO text (SQLite's <c>app_settings.updated_at</c>).</summary>
    public static DateTimeOffset ReadInstant(object value) => value switch
    {
        DateTimeOffset instant => instant,
        DateTime utc => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)),
        long millis => DateTimeOffset.FromUnixTimeMilliseconds(millis),
        int millis => DateTimeOffset.FromUnixTimeMilliseconds(millis),
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidCastException($"A {value.GetType().Name} is not an instant."),
    };

    /// <summary>A calendar date from <c>date</c> (PostgreSQL) or <c>yyyy-MM-dd</c> text (SQLite).</summary>
    public static DateOnly ReadDate(object value) => value switch
    {
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime),
        string text => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => throw new InvalidCastException($"A {value.GetType().Name} is not a date."),
    };

    /// <summary>Instants are <c>timestamptz</c> on PostgreSQL (Npgsql accepts only offset zero) and Unix milliseconds
    /// on SQLite, so "before now" stays an integer comparison there.</summary>
    private sealed class InstantHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.Int64;
                parameter.Value = value.ToUnixTimeMilliseconds();
            }
            else
            {
                parameter.DbType = DbType.DateTimeOffset;
                parameter.Value = value.ToUniversalTime();
            }
        }

        public override DateTimeOffset Parse(object value) => ReadInstant(value);
    }

    /// <summary>Reads an integer or flag whatever width the provider returned; binding stays Dapper's.</summary>
    private sealed class NumberHandler<T>(Func<object, T> convert) : SqlMapper.TypeHandler<T>
    {
        public override void SetValue(IDbDataParameter parameter, T? value) => parameter.Value = value;

        public override T Parse(object value) => convert(value);
    }

    /// <summary>Both providers bind a <see cref="DateOnly"/> themselves (<c>date</c>; <c>yyyy-MM-dd</c> text); only
    /// reading needs help, since SQLite returns the text.</summary>
    private sealed class DateHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = parameter is SqliteParameter ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : value;
        }

        public override DateOnly Parse(object value) => ReadDate(value);
    }
}
