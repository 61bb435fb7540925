using System.Data.Common;

namespace WeChatAssist.Server.Data;

/// <summary>Every difference between PostgreSQL and SQLite the stores meet, in one place: feature code writes its SQL
/// once and asks the dialect for the few fragments and values that differ. One instance per provider, chosen once
/// by <see cref="DatabaseTarget"/> and injected; nothing else branches on the provider.</summary>
/// <remarks>What is the same on both and so has no member here: upsert (<c>INSERT … ON CONFLICT (…) DO UPDATE SET
/// x = excluded.x</c>, SQLite ≥ 3.24), <c>RETURNING</c>, <c>LIMIT</c>, <c>COALESCE</c>, <c>||</c>. Row mapping of
/// instants, dates and flags is done by <see cref="SqlTypeHandlers"/>, which reads either provider's value.</remarks>
internal interface ISqlDialect
{
    DatabaseProvider Provider { get; }

    /// <summary>The suffix of this provider's schema scripts: <c>0001_initial.{suffix}.sql</c>.</summary>
    string ScriptSuffix { get; }

    /// <summary>Whether other connections can read while one writes (PostgreSQL), so independent queries may run in
    /// parallel; one SQLite file gains nothing from it.</summary>
    bool ParallelReads { get; }

    /// <summary>Whether the database itself can signal other nodes (PostgreSQL <c>LISTEN</c>/<c>NOTIFY</c>).</summary>
    bool HasNotifications { get; }

    /// <summary>The current instant as the schema stores instants (<c>timestamptz</c>; Unix milliseconds).</summary>
    string Now { get; }

    /// <summary>A condition that a boolean column is true (<c>boolean</c>; 0/1 integer).</summary>
    string IsTrue(string column);

    /// <summary>A text parameter stored into a JSON column (<c>jsonb</c>; text).</summary>
    string Json(string parameter);

    /// <summary>"Is one of the values of list parameter <paramref name="parameter"/>": <c>= ANY(@p)</c> with an
    /// array on PostgreSQL, <c>IN @p</c> (which Dapper expands) on SQLite.</summary>
    string AnyOf(string parameter);

    /// <summary>A number of milliseconds drawn uniformly from 0 to <paramref name="spreadMilliseconds"/> (a <c>bigint</c>
    /// parameter): continuous on PostgreSQL, whole on SQLite, whose instants are whole milliseconds.</summary>
    string RandomMilliseconds(string spreadMilliseconds);

    /// <summary><paramref name="instant"/> moved on by <paramref name="milliseconds"/>, both SQL expressions.</summary>
    string AddMilliseconds(string instant, string milliseconds);

    /// <summary>Appended to a <c>SELECT</c> that reads rows about to be changed in the same transaction: locks them on
    /// PostgreSQL; empty on SQLite, whose single writer already holds the database.</summary>
    string ForUpdate { get; }

    /// <summary>Appended to a claim's <c>SELECT</c>: skips rows another node has locked (PostgreSQL); empty on SQLite.</summary>
    string ForUpdateSkipLocked { get; }

    /// <summary>A statement that serialises transactions on <c>@key</c> until commit (a PostgreSQL advisory lock), or
    /// <see langword="null"/> where the single writer already does (SQLite).</summary>
    string? TransactionLock { get; }

    /// <summary>Refreshes the planner's statistics of a just-filled table, or <see langword="null"/> (SQLite).</summary>
    string? Analyze(string table);

    /// <summary>An instant as the schema stores it, for values built by hand (bulk rows, <c>object</c> parameters).
    /// Dapper parameters of type <see cref="DateTimeOffset"/> need not use it (<see cref="SqlTypeHandlers"/>).</summary>
    object Instant(DateTimeOffset instant);

    /// <summary>An instant for the columns SQLite keeps as ISO text: <c>app_settings.updated_at</c> (EF Core's old
    /// mapping) and <c>schema_version.applied_at</c>.</summary>
    object TextInstant(DateTimeOffset instant);

    /// <summary>A calendar date as the schema stores it (<c>date</c>; <c>yyyy-MM-dd</c> text).</summary>
    object? Date(DateOnly? date);

    /// <summary>A flag as the schema stores it (<c>boolean</c>; 0/1).</summary>
    object Flag(bool value);

    /// <summary>The column type of a staging table.</summary>
    string ColumnType(BulkType type);

    /// <summary>Creates a temporary table that lives until the transaction ends (PostgreSQL drops it at commit; on
    /// SQLite <see cref="DropTemporaryTableAsync"/> does, and a leftover from a pooled connection is replaced).</summary>
    Task CreateTemporaryTableAsync(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, CancellationToken cancellationToken);

    /// <summary>Drops a SQLite staging table; nothing on PostgreSQL, which drops it at commit.</summary>
    Task DropTemporaryTableAsync(DbConnection connection, DbTransaction transaction, string table, CancellationToken cancellationToken);

    /// <summary>Writes many rows on the caller's transaction: binary <c>COPY</c> on PostgreSQL, one prepared
    /// <c>INSERT</c> per row on SQLite. <paramref name="values"/> gives each row's values in column order.</summary>
    Task<int> WriteRowsAsync<T>(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<BulkColumn> columns, IEnumerable<T> rows, Func<T, object?[]> values, CancellationToken cancellationToken);

    /// <summary>A pool of its own on <paramref name="connectionString"/> whose every command may run
    /// <paramref name="commandTimeoutSeconds"/> (Npgsql's <c>Command Timeout</c>, which also covers commands other code
    /// runs on such a connection; SQLite's <c>Default Timeout</c>): for bulk work such as an import.</summary>
    DbDataSource CreateDataSource(string connectionString, int commandTimeoutSeconds);

    /// <summary>Reserves <paramref name="count"/> new values of <paramref name="table"/>'s <c>id</c> for rows a bulk path
    /// writes itself: from the sequence on PostgreSQL (concurrent writers may interleave; each id nextval hands out
    /// is ours), past the highest id and AUTOINCREMENT's high-water mark on SQLite (the transaction holds the write
    /// lock; explicit ids move the high-water mark on).</summary>
    Task<IReadOnlyList<long>> AllocateIdsAsync(DbConnection connection, DbTransaction transaction, string table, int count, CancellationToken cancellationToken);

    /// <summary>The dialect of <paramref name="provider"/>, for the static helpers that predate injection.</summary>
    static ISqlDialect For(DatabaseProvider provider) => IDatabaseEngine.For(provider).Dialect;
}

/// <summary>The other half of the dialect component: how a provider is configured, reached and migrated, where
/// <see cref="ISqlDialect"/> is what its SQL looks like. The same object per provider implements both; it is chosen
/// once from <c>Database:Provider</c> (<see cref="Named"/>, the only place that maps the configured name) and carried
/// by <see cref="DatabaseTarget.Engine"/>. Only the data layer's own plumbing (options validation, the target, the
/// connector, the schema migrator) uses it; stores use <see cref="ISqlDialect"/>.</summary>
internal interface IDatabaseEngine
{
    /// <summary>The provider for logs and health data; nothing branches on it.</summary>
    DatabaseProvider Provider { get; }

    /// <summary>The SQL dialect of this provider (the same object).</summary>
    ISqlDialect Dialect { get; }

    /// <summary>Adds to <paramref name="failures"/> what is wrong with the connection string or data folder for this
    /// provider, each message naming its configuration key.</summary>
    void Validate(DatabaseOptions options, ICollection<string> failures);

    /// <summary>Resolves the database of validated <paramref name="options"/>; relative paths are taken from <paramref name="contentRoot"/>.</summary>
    DatabaseTarget CreateTarget(DatabaseOptions options, string contentRoot);

    /// <summary>Opens a connection to <paramref name="target"/> and proves it usable. A failure worth retrying or
    /// reporting as refused is left to <see cref="ClassifyConnectFailure"/>; one that retrying cannot mend (a file
    /// that is not a database) is thrown as <see cref="DatabaseStartupException"/>.</summary>
    Task<DbConnection> OpenCheckedAsync(DatabaseTarget target, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="exception"/>, thrown while opening the first connection, means the server is
    /// not reachable yet (retry), refused us (give up), or is no connection failure at all (let it through).</summary>
    ConnectFailure ClassifyConnectFailure(Exception exception);

    /// <summary><c>CREATE TABLE IF NOT EXISTS schema_version …</c> in this provider's types.</summary>
    string SchemaVersionTable { get; }

    /// <summary>This provider's script of <paramref name="migration"/>.</summary>
    string ScriptOf(Schema.SchemaMigration migration);

    /// <summary>Before the first version is applied on <paramref name="connection"/>: takes the session lock nodes
    /// starting together serialise on (a PostgreSQL advisory lock), or prepares the file for shared use (SQLite WAL).</summary>
    Task BeginMigratingAsync(DbConnection connection, DatabaseTarget target, CancellationToken cancellationToken);

    /// <summary>Releases what <see cref="BeginMigratingAsync"/> took, on a connection still open.</summary>
    Task EndMigratingAsync(DbConnection connection);

    /// <summary>Begins the transaction one schema version is applied in, excluding other migrators: a driver
    /// transaction (PostgreSQL, already serialised by the advisory lock), or <see langword="null"/> after a
    /// <c>BEGIN EXCLUSIVE</c> statement that <c>COMMIT;</c>/<c>ROLLBACK;</c> end (SQLite: a second process must wait
    /// there and then re-read the versions, which the driver's IMMEDIATE transaction would not make it do).</summary>
    Task<DbTransaction?> BeginMigrationTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The provider used when <c>Database:Provider</c> is not set.</summary>
    static IDatabaseEngine Default => SqliteDialect.Instance;

    /// <summary>The engine of <paramref name="provider"/>.</summary>
    static IDatabaseEngine For(DatabaseProvider provider) =>
        provider == DatabaseProvider.Postgres ? PostgresDialect.Instance : SqliteDialect.Instance;

    /// <summary>The engine named by <c>Database:Provider</c> (case-insensitive), or <see langword="null"/> when it names none.</summary>
    static IDatabaseEngine? Named(string? provider) =>
        Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? For(kind) : null;
}

/// <summary>What a failure to open the first connection means (<see cref="IDatabaseEngine.ClassifyConnectFailure"/>).</summary>
internal enum ConnectFailure
{
    /// <summary>Not a connection failure; it propagates unchanged.</summary>
    None,

    /// <summary>The server answered and refused (bad password, unknown database): retrying will not help.</summary>
    Refused,

    /// <summary>The server is not reachable or not ready yet: worth another attempt after a delay.</summary>
    Transient,
}
