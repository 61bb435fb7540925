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

    /// <summary>An instant for the one column SQLite keeps as ISO text, <c>app_settings.updated_at</c> (EF Core's old mapping).</summary>
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
    static ISqlDialect For(DatabaseProvider provider) =>
        provider == DatabaseProvider.Postgres ? PostgresDialect.Instance : SqliteDialect.Instance;
}
