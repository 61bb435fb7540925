using Npgsql;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>One <c>LISTEN</c> connection per node on PostgreSQL, reconnecting after failures; notifications go to the feed.
/// Not used with the Redis backplane, where the recording node publishes for every node.</summary>
internal sealed partial class PostgresProgressListener(DatabaseTarget database, ProgressFeed feed, Microsoft.Extensions.Options.IOptions<LiveUpdatesOptions> live, ILogger<PostgresProgressListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (live.Value.SignalsInProcess(database.Dialect))
        {
            return;
        }

        var reconnecting = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = ApplicationName, Pooling = false };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) => feed.Post(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {ProgressSignal.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Notifications sent while the connection was down are lost: have every dashboard refetch once.
                if (reconnecting)
                {
                    feed.Post(ProgressFeed.Resync);
                    LogListenRestored(logger);
                }

                reconnecting = true;

                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.IO.IOException)
            {
                LogListenFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>The <c>application_name</c> of the listening connection (visible in <c>pg_stat_activity</c>).</summary>
    public const string ApplicationName = "wechatassist-progress-listener";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Progress LISTEN connection failed; reconnecting (dashboards are told to refetch once it is back)")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Progress LISTEN connection restored; dashboards refetch")]
    private static partial void LogListenRestored(ILogger logger);
}
