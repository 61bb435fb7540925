using System.Data.Common;
using System.Threading.Channels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Npgsql;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>The SignalR hub at <c>/hubs/progress</c>: a dashboard watches one scope and hears <c>progress</c> when
/// payments land in it.</summary>
[Authorize(Policy = StaffClaims.VillagePolicy)]
internal sealed class ProgressHub : Hub
{
    /// <summary>Joins the group of a scope the caller may see; false when it is outside their account's scope.</summary>
    public async Task<bool> Watch(string? policyId, string? township, string? village)
    {
        if (Context.User is null || !Staff.AdminResidentEndpoints.TryScope(Context.User, policyId, township, village, out var scope) || scope.PolicyId is null)
        {
            return false;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, new ProgressScope(scope.PolicyId, scope.Township, scope.Township is null ? null : scope.Village).Group);
        return true;
    }
}

/// <summary>What a dashboard hears: payments just recorded in an area of its scope (all empty after a lost
/// notification connection came back: refetch whatever you show).</summary>
internal sealed record ProgressChanged(string PolicyId, string Township, string Village, long Payments);

/// <summary>Batch ids of committed recordings waiting to be pushed; fed by the in-process signal (SQLite) or the
/// PostgreSQL listener.</summary>
internal sealed class ProgressFeed
{
    private readonly Channel<string> _batches = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Stands in the feed for "something may have been missed": dashboards should all refetch.</summary>
    public const string Resync = "";

    public void Post(string batchId) => _batches.Writer.TryWrite(batchId);

    public ChannelReader<string> Reader => _batches.Reader;
}

/// <summary>Signals a recorded batch from inside the recording transaction: <c>pg_notify</c> on PostgreSQL (delivered
/// to every node's listener only if the recording commits), the in-process feed on SQLite (the publisher waits for
/// the batch to become visible, so a rolled-back batch is never pushed).</summary>
internal sealed class ProgressSignal(DatabaseTarget database, ProgressFeed feed) : IPaymentsRecordedParticipant
{
    /// <summary>The PostgreSQL notification channel.</summary>
    public const string Channel = "wca_progress";

    public async Task OnPaymentsRecordedAsync(DbConnection connection, DbTransaction transaction, string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (database.Provider != DatabaseProvider.Postgres)
        {
            feed.Post(batchId);
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_notify('{Channel}', @batch)";
        command.AddParameter("@batch", batchId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>One <c>LISTEN</c> connection per node on PostgreSQL, reconnecting after failures; notifications go to the feed.</summary>
internal sealed partial class PostgresProgressListener(DatabaseTarget database, ProgressFeed feed, ILogger<PostgresProgressListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (database.Provider != DatabaseProvider.Postgres)
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

/// <summary>Pushes each committed batch to the dashboards watching the county, township and village it touched.</summary>
internal sealed partial class ProgressPublisher(DatabaseTarget database, ProgressFeed feed, ProgressSnapshots snapshots, IHubContext<ProgressHub> hub, ILogger<ProgressPublisher> logger) : BackgroundService
{
    /// <summary>The client method name.</summary>
    public const string Method = "progress";

    // SQLite signals before the commit: wait this long for the batch to show up before dropping it as rolled back.
    private static readonly TimeSpan VisibleWithin = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batchId in feed.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await PublishAsync(batchId, stoppingToken);
                }
                catch (DbException ex)
                {
                    LogPublishFailed(logger, batchId, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PublishAsync(string batchId, CancellationToken cancellationToken)
    {
        if (batchId == ProgressFeed.Resync)
        {
            snapshots.InvalidateAll();
            await hub.Clients.All.SendAsync(Method, new ProgressChanged("", "", "", 0), cancellationToken);
            return;
        }

        var deadline = DateTimeOffset.UtcNow + VisibleWithin;
        var areas = await AreasAsync(batchId, cancellationToken);
        while (areas.Count == 0 && database.Provider != DatabaseProvider.Postgres && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            areas = await AreasAsync(batchId, cancellationToken);
        }

        // Dashboards refetch when they hear the push: they must not get the snapshot from before the batch.
        foreach (var policyId in areas.Select(a => a.PolicyId).Distinct(StringComparer.Ordinal))
        {
            snapshots.Invalidate(policyId);
        }

        foreach (var area in areas)
        {
            await hub.Clients.Groups(
                    ProgressScope.CountyGroup(area.PolicyId),
                    ProgressScope.TownshipGroup(area.PolicyId, area.Township),
                    ProgressScope.VillageGroup(area.PolicyId, area.Township, area.Village))
                .SendAsync(Method, area, cancellationToken);
        }
    }

    private async Task<List<ProgressChanged>> AreasAsync(string batchId, CancellationToken cancellationToken)
    {
        var rows = new List<ProgressChanged>();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT r.policy_id, r.township, r.village, COUNT(*) FROM payment_events p JOIN residents r ON r.id = p.resident_id
            WHERE p.batch_id = @batch GROUP BY r.policy_id, r.township, r.village
            """;
        command.AddParameter("@batch", batchId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ProgressChanged(reader.GetString(0), reader.GetString(1), reader.GetString(2), Convert.ToInt64(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push payment batch {BatchId} to the dashboards")]
    private static partial void LogPublishFailed(ILogger logger, string batchId, Exception exception);
}
