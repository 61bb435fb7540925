using System.Data.Common;
using System.Diagnostics;
using Dapper;

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
        var engine = target.Engine;
        await using var connection = await connector.OpenAsync(cancellationToken);
        await engine.BeginMigratingAsync(connection, target, cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, engine.SchemaVersionTable, null, cancellationToken);
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
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await engine.EndMigratingAsync(connection);
            }
        }
    }

    private async Task<bool> ApplyAsync(DbConnection connection, SchemaMigration migration, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var engine = target.Engine;
        var transaction = await engine.BeginMigrationTransactionAsync(connection, cancellationToken);
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
                await ExecuteAsync(connection, transaction, batch, null, cancellationToken);
            }

            // applied_at is timestamptz on PostgreSQL and ISO text on SQLite, as app_settings.updated_at.
            await ExecuteAsync(
                connection,
                transaction,
                "INSERT INTO schema_version (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @appliedAt)",
                new { version = migration.Version, name = migration.Name, checksum = Checksum(migration), appliedAt = target.Dialect.TextInstant(timeProvider.GetUtcNow()) },
                cancellationToken);
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

    private string Checksum(SchemaMigration migration) => migration.ChecksumFor(target.Provider);

    private void VerifyChecksums(Dictionary<int, string> applied)
    {
        foreach (var migration in catalog.Migrations)
        {
            if (applied.TryGetValue(migration.Version, out var recorded)
                && recorded != Checksum(migration)
                && !(SchemaCatalog.EarlierChecksums.TryGetValue((migration.Version, target.Dialect.ScriptSuffix), out var earlier) && recorded == earlier))
            {
                throw new DatabaseStartupException(
                    $"Schema version {migration.Version} ({migration.Name}) on {target.Description} was applied from a different script than this build carries (checksum {recorded[..12]}… vs {Checksum(migration)[..12]}…). Released versions must not be edited; add a new version instead.");
            }
        }
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<(int Version, string Checksum)>(new CommandDefinition("SELECT version, checksum FROM schema_version", transaction: transaction, cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Version, row => row.Checksum);

    private static Task CommitAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        transaction is not null
            ? transaction.CommitAsync(cancellationToken)
            : ExecuteAsync(connection, null, "COMMIT;", null, cancellationToken);

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
                await ExecuteAsync(connection, null, "ROLLBACK;", null, CancellationToken.None);
            }
        }
        catch (DbException)
        {
            // The original failure is the one worth reporting; a failed rollback leaves nothing committed either way.
        }
    }

    // A version's DDL on a large table may take minutes; ten is the bound.
    private static Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, object? parameters, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, (int)LockWait.TotalSeconds, cancellationToken: cancellationToken));

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema version {Version} ({Name}) in {ElapsedMs} ms.")]
    private static partial void LogApplied(ILogger logger, int version, string name, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Database} is at schema version {Version} ({AppliedCount} applied now).")]
    private static partial void LogSchemaReady(ILogger logger, string database, int version, int appliedCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Database} is at schema version {Newest}, newer than this build's {Latest}; continuing, as during a rolling upgrade.")]
    private static partial void LogNewerSchema(ILogger logger, string database, int newest, int latest);
}
