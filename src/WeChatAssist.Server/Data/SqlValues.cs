using System.Data.Common;

namespace WeChatAssist.Server.Data;

/// <summary>Calendar dates and flags as each provider's schema stores them, for code that still builds commands by
/// hand; the values come from the dialect (<see cref="ISqlDialect.Date"/>, <see cref="ISqlDialect.Flag"/>).</summary>
internal static class SqlValues
{
    public static object? Date(DatabaseProvider provider, DateOnly? date) => ISqlDialect.For(provider).Date(date);

    public static object Flag(DatabaseProvider provider, bool value) => ISqlDialect.For(provider).Flag(value);

    public static DateOnly? GetDate(this DbDataReader reader, DatabaseProvider provider, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : SqlTypeHandlers.ReadDate(reader.GetValue(ordinal));
}
