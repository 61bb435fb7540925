using System.Data.Common;
using System.Globalization;

namespace WeChatAssist.Server.Data;

/// <summary>Calendar dates and flags as each provider's schema stores them: <c>date</c>/<c>boolean</c> on PostgreSQL,
/// ISO text and 0/1 on SQLite.</summary>
internal static class SqlValues
{
    public static object? Date(DatabaseProvider provider, DateOnly? date) =>
        date is not { } d ? null : provider == DatabaseProvider.Postgres ? d : d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static object Flag(DatabaseProvider provider, bool value) =>
        provider == DatabaseProvider.Postgres ? value : value ? 1 : 0;

    public static DateOnly? GetDate(this DbDataReader reader, DatabaseProvider provider, int ordinal) =>
        reader.IsDBNull(ordinal) ? null
        : provider == DatabaseProvider.Postgres ? reader.GetFieldValue<DateOnly>(ordinal)
        : DateOnly.ParseExact(reader.GetString(ordinal), "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
