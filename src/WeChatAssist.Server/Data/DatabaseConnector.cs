using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Npgsql;

namespace WeChatAssist.Server.Data;

/// <summary>Opens the first connection at start-up: waits for PostgreSQL with bounded exponential backoff, and
/// refuses a SQLite file that is not a database instead of letting anything write to it.</summary>
internal sealed partial class DatabaseConnector(
    DatabaseTarget target,
    IOptions<DatabaseOptions> options,
    TimeProvider timeProvider,
    ILogger<DatabaseConnector> logger)
{
    // SQLite primary result codes for "this is not a database" and "the database is damaged".
    private const int SqliteNotADatabase = 26;
    private const int SqliteCorrupt = 11;

    /// <summary>Opens a connection that has been proven usable, or throws <see cref="DatabaseStartupException"/>.</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        target.Provider == DatabaseProvider.Postgres
            ? OpenPostgresAsync(cancellationToken)
            : OpenSqliteAsync(cancellationToken);

    private async Task<DbConnection> OpenPostgresAsync(CancellationToken cancellationToken)
    {
        var retry = options.Value.ConnectRetry;
        var delay = retry.InitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            var connection = target.DataSource.CreateConnection();
            try
            {
                await connection.OpenAsync(cancellationToken);
                return connection;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
            {
                await connection.DisposeAsync();
                var reason = Reason(ex);
                if (!IsTransient(ex))
                {
                    throw new DatabaseStartupException($"{target.Description} refused the connection: {reason}", ex);
                }

                if (attempt >= retry.MaxAttempts)
                {
                    throw new DatabaseStartupException(
                        $"{target.Description} is unreachable after {attempt} attempts: {reason} Check {DatabaseOptions.ConnectionStringKey} and that the server is running.",
                        ex);
                }

                LogUnreachable(logger, target.Description, attempt, retry.MaxAttempts, reason, delay.TotalSeconds);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, retry.MaxDelay.Ticks));
            }
        }
    }

    private async Task<DbConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        if (target.SqliteFilePath is { } path)
        {
            var directory = Path.GetDirectoryName(path)!;
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new DatabaseStartupException($"The data folder '{directory}' cannot be created ({ex.Message}). Set Database:DataDirectory or {DatabaseOptions.ConnectionStringKey} to a writable place.", ex);
            }
        }

        var connection = target.DataSource.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);

            // Opening is lazy; the first read of the header is what finds a file that is not a database.
            await using var probe = connection.CreateCommand();
            probe.CommandText = "PRAGMA schema_version;";
            await probe.ExecuteScalarAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteNotADatabase or SqliteCorrupt)
        {
            await connection.DisposeAsync();
            throw new DatabaseStartupException(
                $"{target.Description} is not a usable SQLite database ({ex.Message.TrimEnd('.')}). It was left untouched: move it aside or restore it from a backup, then start again.",
                ex);
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new DatabaseStartupException($"{target.Description} cannot be opened: {ex.Message}", ex);
        }
    }

    internal static bool IsTransient(Exception ex) => ex switch
    {
        TimeoutException => true,

        // 57P03: "the database system is starting up"; 53300: too many connections.
        PostgresException pg => pg.IsTransient || pg.SqlState is "57P03" or "53300",
        NpgsqlException npgsql => npgsql.IsTransient,
        _ => false,
    };

    internal static string Reason(Exception ex)
    {
        var innermost = ex;
        while (innermost.InnerException is not null && innermost is not PostgresException)
        {
            innermost = innermost.InnerException;
        }

        var text = innermost.Message.ReplaceLineEndings(" ").Trim();
        return text.EndsWith('.') ? text : text + ".";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Database} is unreachable (attempt {Attempt} of {MaxAttempts}): {Reason} Retrying in {DelaySeconds} s.")]
    private static partial void LogUnreachable(ILogger logger, string database, int attempt, int maxAttempts, string reason, double delaySeconds);
}
