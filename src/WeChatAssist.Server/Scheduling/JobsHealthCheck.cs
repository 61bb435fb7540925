using Hangfire;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WeChatAssist.Server.Scheduling;

/// <summary>The <c>scheduler</c> check: whether the job storage answers and how many Hangfire servers in the cluster
/// have sent a heartbeat recently. The storage is named by <see cref="JobStorageGate.Description"/>, never by its
/// connection string.</summary>
internal sealed class JobsHealthCheck(JobStorageGate gate, TimeProvider realClock) : IHealthCheck
{
    /// <summary>A server whose last heartbeat is older than this is counted as gone (Hangfire's own timeout is 5 min).</summary>
    private static readonly TimeSpan HeartbeatStale = TimeSpan.FromMinutes(1);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        JobStorage storage;
        try
        {
            storage = gate.Storage;
        }
        catch (InvalidOperationException ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The job storage has not been opened.", ex));
        }

        try
        {
            var monitoring = storage.GetMonitoringApi();
            var now = realClock.GetUtcNow().UtcDateTime;
            var servers = monitoring.Servers();
            var alive = servers.Count(s => s.Heartbeat is { } beat && now - beat < HeartbeatStale);
            var statistics = monitoring.GetStatistics();
            var data = new Dictionary<string, object>
            {
                ["storage"] = gate.Description,
                ["servers"] = alive,
                ["workers"] = servers.Where(s => s.Heartbeat is { } beat && now - beat < HeartbeatStale).Sum(s => s.WorkersCount),
                ["recurringJobs"] = statistics.Recurring,
                ["enqueued"] = statistics.Enqueued,
                ["scheduled"] = statistics.Scheduled,
                ["processing"] = statistics.Processing,
                ["failed"] = statistics.Failed,
            };
            return Task.FromResult(alive > 0
                ? HealthCheckResult.Healthy($"{alive} Hangfire server(s) on {gate.Description}.", data)
                : HealthCheckResult.Unhealthy($"No Hangfire server has sent a heartbeat to {gate.Description} within {HeartbeatStale.TotalSeconds:0} s.", data: data));
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException or SQLite.SQLiteException)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The job storage {gate.Description} does not answer: {ex.Message.ReplaceLineEndings(" ")}"));
        }
    }
}
