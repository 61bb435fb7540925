using System.Data.Common;
using System.Diagnostics;
using System.Globalization;

namespace WeChatAssist.Server.Data.Schema;

/// <summary>Brings the database to the schema this build expects, one version per transaction, recording each in
/// <c>schema_version</c>. Nodes starting together serialise on a PostgreSQL advisory lock (SQLite: an exclusive
/// transaction per version), so every version is applied exactly once.</summary>
internal sealed partial class SchemaMigrator(
    DatabaseTarget target,
    DatabaseConnector connector,
    SchemaCatalog catalog,
    TimeProvider timeProvider,
    ILogger<SchemaMigrator> logger)
{
    /// <summary>The session-level advisory lock key every node takes while migrating (ASCII "WCASSIST").</summary>
    public const long AdvisoryLockKey = 0x5743_4153_5349_5354;

    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(10);

    /// <summary>Applies every version this build knows that the database lacks; returns the versions applied.</summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken) =>
        MigrateToAsync(catalog.LatestVersion, cancellationToken);

    /// <summary>Applies missing versions up to and including <paramref name="targetVersion"/>; returns the versions applied.</summary>
    public async Task<IReadOnlyList<int>> MigrateToAsync(int targetVersion, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(targetVersion, catalog.LatestVersion);
        await using var connection = await connector.OpenAsync(cancellationToken);
        var postgres = target.Provider == DatabaseProvider.Postgres;
        if (postgres)
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        }
        else if (target.SqliteFilePath is not null)
        {
            // WAL lets the scheduler, the stores and readers share the file; the setting persists in the file.
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
        }

        try
        {
            await ExecuteAsync(connection, CreateVersionTableSql(postgres), cancellationToken);
            var applied = await ReadAppliedAsync(connection, null, cancellationToken);
            VerifyChecksums(applied);

            var newlyApplied = new List<int>();
            foreach (var migration in catalog.Migrations)
            {
                if (migration.Version > targetVersion || applied.ContainsKey(migration.Version))
                {
                    continue;
                }

                if (await ApplyAsync(connection, migration, cancellationToken))
                {
                    newlyApplied.Add(migration.Version);
                }
            }

            var newest = applied.Count == 0 ? 0 : applied.Keys.Max();
            if (newest > catalog.LatestVersion)
            {
                LogNewerSchema(logger, target.Description, newest, catalog.LatestVersion);
            }

            LogSchemaReady(logger, target.Description, Math.Max(newest, newlyApplied.LastOrDefault()), newlyApplied.Count);
            return newlyApplied;
        }
        finally
        {
            if (postgres && connection.State == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
            }
        }
    }

    private async Task<bool> ApplyAsync(DbConnection connection, SchemaMigration migration, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        DbTransaction? transaction = null;
        if (target.Provider == DatabaseProvider.Postgres)
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
        }
        else
        {
            // EXCLUSIVE, not the driver's IMMEDIATE: a second process must wait here and then re-read the versions.
            await ExecuteAsync(connection, "BEGIN EXCLUSIVE;", cancellationToken);
        }

        try
        {
            var applied = await ReadAppliedAsync(connection, transaction, cancellationToken);
            if (applied.ContainsKey(migration.Version))
            {
                await CommitAsync(connection, transaction, cancellationToken);
                return false;
            }

            foreach (var batch in migration.BatchesFor(target.Provider))
            {
                await ExecuteAsync(connection, transaction, batch, cancellationToken);
            }

            var now = timeProvider.GetUtcNow();
            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @appliedAt)",
                cancellationToken,
                ("version", migration.Version),
                ("name", migration.Name),
                ("checksum", migration.ChecksumFor(target.Provider)),
                ("appliedAt", target.Provider == DatabaseProvider.Postgres ? now : now.ToString("O", CultureInfo.InvariantCulture)));
            await CommitAsync(connection, transaction, cancellationToken);
            LogApplied(logger, migration.Version, migration.Name, stopwatch.ElapsedMilliseconds);
            return true;
        }
        catch (Exception ex) when (ex is DbException)
        {
            await RollbackAsync(connection, transaction);
            throw new DatabaseStartupException(
                $"Schema version {migration.Version} ({migration.Name}) failed on {target.Description}: {ex.Message.ReplaceLineEndings(" ")} Nothing of this version was kept.",
                ex);
        }
        finally
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }
        }
    }

    private void VerifyChecksums(Dictionary<int, string> applied)
    {
        foreach (var migration in catalog.Migrations)
        {
            if (applied.TryGetValue(migration.Version, out var recorded)
                && recorded != migration.ChecksumFor(target.Provider)
                && !(SchemaCatalog.EarlierChecksums.TryGetValue((migration.Version, target.Provider), out var earlier) && recorded == earlier))
            {
                throw new DatabaseStartupException(
                    $"Schema version {migration.Version} ({migration.Name}) on {target.Description} was applied from a different script than this build carries (checksum {recorded[..12]}… vs {migration.ChecksumFor(target.Provider)[..12]}…). Released versions must not be edited; add a new version instead.");
            }
        }
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, checksum FROM schema_version";
        var applied = new Dictionary<int, string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetString(1);
        }

        return applied;
    }

    private static string CreateVersionTableSql(bool postgres) => postgres
        ? "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL)"
        : "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)";

    private static Task CommitAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        transaction is not null
            ? transaction.CommitAsync(cancellationToken)
            : ExecuteAsync(connection, "COMMIT;", cancellationToken);

    private static async Task RollbackAsync(DbConnection connection, DbTransaction? transaction)
    {
        try
        {
            if (transaction is not null)
            {
                await transaction.RollbackAsync(CancellationToken.None);
            }
            else
            {
                await ExecuteAsync(connection, "ROLLBACK;", CancellationToken.None);
            }
        }
        catch (DbException)
        {
            // The original failure is the one worth reporting; a failed rollback leaves nothing committed either way.
        }
    }

    private static Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters) =>
        ExecuteAsync(connection, null, sql, cancellationToken, parameters);

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = (int)LockWait.TotalSeconds;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema version {Version} ({Name}) in {ElapsedMs} ms.")]
    private static partial void LogApplied(ILogger logger, int version, string name, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database} is at schema version {Version} ({AppliedCount} applied now).")]
    private static partial void LogSchemaReady(ILogger logger, string database, int version, int appliedCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Database} is at schema version {Newest}, newer than this build's {Latest}; continuing, as during a rolling upgrade.")]
    private static partial void LogNewerSchema(ILogger logger, string database, int newest, int latest);
}
