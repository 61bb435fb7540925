using System.Data.Common;
using Microsoft.AspNetCore.SignalR;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>Pushes each committed batch to the dashboards watching the county, township and village it touched.</summary>
internal sealed partial class ProgressPublisher(DatabaseTarget database, ProgressFeed feed, ProgressSnapshots snapshots, IHubContext<ProgressHub> hub, Microsoft.Extensions.Options.IOptions<LiveUpdatesOptions> live, ILogger<ProgressPublisher> logger) : BackgroundService
{
    /// <summary>The client method name.</summary>
    public const string Method = "progress";

    // A batch signalled in process (SQLite, or the Redis backplane) is signalled before the commit: wait this long for the batch to show up before dropping it as rolled back.
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
        while (areas.Count == 0 && live.Value.SignalsInProcess(database.Dialect) && DateTimeOffset.UtcNow < deadline)
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

    private Task<List<ProgressChanged>> AreasAsync(string batchId, CancellationToken cancellationToken) =>
        database.QueryAsync<ProgressChanged>(
            $"""
            SELECT r.policy_id, r.township, r.village, COUNT(*) AS payments FROM payment_events p JOIN {ResidentSql.Roster} r ON r.id = p.resident_id
            WHERE p.batch_id = @batchId GROUP BY r.policy_id, r.township, r.village
            """,
            new { batchId },
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not push payment batch {BatchId} to the dashboards")]
    private static partial void LogPublishFailed(ILogger logger, string batchId, Exception exception);
}
