namespace WeChatAssist.Server.Data;

/// <summary>The database engines the server runs on.</summary>
internal enum DatabaseProvider
{
    /// <summary>An embedded file under the data directory; the default for <c>dotnet run</c>.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL server; production and the test suite.</summary>
    Postgres,
}
