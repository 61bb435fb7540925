using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;

namespace WeChatAssist.Server.Data;

/// <summary>Opens the first connection at start-up: waits for a server that is not reachable yet (PostgreSQL) with
/// bounded exponential backoff, and refuses a file that is not a database (SQLite) instead of letting anything write
/// to it; the engine (<see cref="IDatabaseEngine.OpenCheckedAsync"/>) says which failure is which.</summary>
internal sealed partial class DatabaseConnector(
    DatabaseTarget target,
    IOptions<DatabaseOptions> options,
    TimeProvider timeProvider,
    ILogger<DatabaseConnector> logger)
{
    /// <summary>Opens a connection that has been proven usable, or throws <see cref="DatabaseStartupException"/>.
    /// How to open and prove it, and which failures are worth waiting out, is the engine's.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var engine = target.Engine;
        var retry = options.Value.ConnectRetry;
        var delay = retry.InitialDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await engine.OpenCheckedAsync(target, cancellationToken);
            }
            catch (Exception ex) when (engine.ClassifyConnectFailure(ex) is var failure && failure != ConnectFailure.None && !cancellationToken.IsCancellationRequested)
            {
                var reason = Reason(ex);
                if (failure == ConnectFailure.Refused)
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
