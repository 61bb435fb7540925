using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.Extensions.Options;
using Npgsql;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Scheduling;

/// <summary>Opens the job storage once, at start-up after the schema migrator: PostgreSQL is waited for like the
/// database (same backoff, one line naming the key when it gives up), and Hangfire.PostgreSql prepares its own
/// <c>hangfire</c> schema while this node holds the migrator's advisory lock, so nodes starting together install it
/// one after another. Until then <see cref="Storage"/> is unavailable.</summary>
internal sealed partial class JobStorageGate(
    DatabaseTarget database,
    IOptions<DatabaseOptions> databaseOptions,
    IOptions<JobsOptions> jobsOptions,
    IConfiguration configuration,
    TimeProvider timeProvider,
    ILogger<JobStorageGate> logger) : IAsyncDisposable
{
    /// <summary>The PostgreSQL schema Hangfire.PostgreSql keeps its tables in.</summary>
    public const string PostgresSchema = "hangfire";

    private readonly SemaphoreSlim _opening = new(1, 1);
    private JobStorage? _storage;
    private NpgsqlDataSource? _ownDataSource;

    /// <summary>Where the jobs are kept, without credentials.</summary>
    public string Description { get; private set; } = "job storage (not opened yet)";

    public JobStorage Storage => _storage ?? throw new InvalidOperationException("The job storage is opened when the host starts; it is not available yet.");

    public async Task<JobStorage> OpenAsync(CancellationToken cancellationToken)
    {
        await _opening.WaitAsync(cancellationToken);
        try
        {
            // Hangfire.PostgreSql runs on the node's Npgsql data source (or one of its own on the same server), so that
            // data source is what decides; Data stays free of Hangfire. Any other database is one node's embedded file,
            // and its jobs go to a Hangfire.Storage.SQLite file beside it.
            return _storage ??= database.DataSource is NpgsqlDataSource dataSource
                ? await OpenPostgresAsync(dataSource, cancellationToken)
                : OpenSqlite();
        }
        finally
        {
            _opening.Release();
        }
    }

    private async Task<JobStorage> OpenPostgresAsync(NpgsqlDataSource nodeDataSource, CancellationToken cancellationToken)
    {
        var options = jobsOptions.Value;
        var separate = configuration[JobsOptions.ConnectionStringKey];
        var key = string.IsNullOrWhiteSpace(separate) ? DatabaseOptions.ConnectionStringKey : JobsOptions.ConnectionStringKey;
        NpgsqlDataSource dataSource;
        if (string.IsNullOrWhiteSpace(separate))
        {
            dataSource = nodeDataSource;
        }
        else
        {
            try
            {
                dataSource = _ownDataSource = NpgsqlDataSource.Create(separate);
            }
            catch (ArgumentException ex)
            {
                throw new JobStorageStartupException($"{key} is not a valid PostgreSQL connection string: {ex.Message}", ex);
            }
        }

        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Description = $"PostgreSQL {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username} (schema {PostgresSchema})";
        await using var connection = await ConnectAsync(dataSource, key, cancellationToken);

        // Hangfire.PostgreSql versions and upgrades its own schema; it runs here under the migrator's lock.
        await database.Engine.BeginMigratingAsync(connection, database, cancellationToken);
        try
        {
            return new PostgreSqlStorage(
                new DataSourceConnectionFactory(dataSource),
                new PostgreSqlStorageOptions
                {
                    SchemaName = PostgresSchema,
                    PrepareSchemaIfNecessary = true,
                    QueuePollInterval = options.PollInterval,
                    InvisibilityTimeout = options.InvisibilityTimeout,
                    UseSlidingInvisibilityTimeout = false,
                });
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            throw new JobStorageStartupException($"Hangfire could not prepare its schema in {Description}: {DatabaseConnector.Reason(ex)}", ex);
        }
        finally
        {
            await database.Engine.EndMigratingAsync(connection);
        }
    }

    private async Task<NpgsqlConnection> ConnectAsync(NpgsqlDataSource dataSource, string key, CancellationToken cancellationToken)
    {
        var retry = databaseOptions.Value.ConnectRetry;
        var delay = retry.InitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await dataSource.OpenConnectionAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                var reason = DatabaseConnector.Reason(ex);
                if (!DatabaseConnector.IsTransient(ex))
                {
                    throw new JobStorageStartupException($"{Description} refused the connection: {reason} Check {key}.", ex);
                }

                if (attempt >= retry.MaxAttempts)
                {
                    throw new JobStorageStartupException(
                        $"{Description} is unreachable after {attempt} attempts: {reason} Check {key} and that the server is running.",
                        ex);
                }

                LogUnreachable(logger, Description, attempt, retry.MaxAttempts, reason, delay.TotalSeconds);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retry.MaxDelay.Ticks));
            }
        }
    }

    private SQLiteStorage OpenSqlite()
    {
        var options = jobsOptions.Value;

        // Beside the database file; an in-memory database (tests, demos) gets a file of its own in the temp folder.
        var folder = database.SqliteFilePath is { } path ? Path.GetDirectoryName(path)! : Path.Combine(Path.GetTempPath(), "wechatassist-jobs-" + Guid.NewGuid().ToString("N"));
        var file = Path.GetFullPath(options.SqliteFile, folder);
        Description = $"SQLite file '{file}'";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            return new SQLiteStorage(file, new SQLiteStorageOptions
            {
                QueuePollInterval = options.PollInterval,
                InvisibilityTimeout = options.InvisibilityTimeout,
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SQLite.SQLiteException)
        {
            throw new JobStorageStartupException($"{Description} cannot be opened ({ex.Message.TrimEnd('.')}). Set {JobsOptions.SectionName}:{nameof(JobsOptions.SqliteFile)} to a writable place.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownDataSource is not null)
        {
            await _ownDataSource.DisposeAsync();
        }

        (_storage as IDisposable)?.Dispose();
        _opening.Dispose();
    }

    /// <summary>Hangfire.PostgreSql's connections come from the node's pooled data source.</summary>
    private sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job storage {Storage} is unreachable (attempt {Attempt} of {MaxAttempts}): {Reason} Retrying in {DelaySeconds} s.")]
    private static partial void LogUnreachable(ILogger logger, string storage, int attempt, int maxAttempts, string reason, double delaySeconds);
}
