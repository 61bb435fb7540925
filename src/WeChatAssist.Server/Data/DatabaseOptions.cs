namespace WeChatAssist.Server.Data;

/// <summary>Settings under <c>Database</c>, plus <c>ConnectionStrings:Default</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The configuration key of the connection string.</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Default";

    /// <summary><c>Sqlite</c> or <c>Postgres</c>, case-insensitive. A string rather than the enum so a typo is
    /// reported by validation, naming the key, instead of failing inside the configuration binder.</summary>
    public string Provider { get; set; } = IDatabaseEngine.Default.Provider.ToString();

    /// <summary>Folder of the SQLite file when no connection string is given; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Always taken from <c>ConnectionStrings:Default</c> (the one key for it); required for PostgreSQL,
    /// optional for SQLite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How start-up waits for a database that is not reachable yet.</summary>
    public ConnectRetryOptions ConnectRetry { get; set; } = new();

    /// <summary>The engine (and dialect) <see cref="Provider"/> names, or <see langword="null"/> when it names none.</summary>
    public IDatabaseEngine? Engine => IDatabaseEngine.Named(Provider);
}

/// <summary>Bounded exponential backoff for the first connection (<c>Database:ConnectRetry</c>).</summary>
internal sealed class ConnectRetryOptions
{
    public int MaxAttempts { get; set; } = 8;

    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
}
