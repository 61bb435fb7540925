using Microsoft.Extensions.Options;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.PolicyDrafts;

/// <summary>
/// Keeps this node's <see cref="PolicyCatalog"/> in step with <c>published_policies</c>: a cheap stamp query every
/// <c>PolicyDrafts:PollSeconds</c>, and a reload of the newest version of each id when it changed. Polling (not a
/// scheduled job, not LISTEN/NOTIFY) works the same on SQLite and PostgreSQL and needs no extra connection.
/// </summary>
internal sealed partial class PublishedPolicyPoller(
    PolicyDraftStore store,
    PolicyCatalog catalog,
    IOptions<PolicyDraftsOptions> options,
    ILogger<PublishedPolicyPoller> logger) : BackgroundService
{
    private string? _stamp;

    /// <summary>Loads what is published now; true when the catalog changed.</summary>
    public async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var stamp = await store.PublishedStampAsync(cancellationToken);
        if (stamp == _stamp)
        {
            return false;
        }

        var policies = new List<InsurancePolicy>();
        foreach (var published in await store.LatestPublishedAsync(cancellationToken))
        {
            var check = PolicyCheck.Check(published.Yaml, $"{published.PolicyId} v{published.Version}");
            if (check.Policy is { } policy)
            {
                policies.Add(policy);
            }
            else
            {
                // Checked when uploaded; a build whose loader became stricter keeps the file's policy and says why.
                LogUnloadable(logger, published.PolicyId, published.Version, string.Join("; ", check.Faults));
            }
        }

        catalog.ApplyPublished(policies);
        _stamp = stamp;
        LogLoaded(logger, policies.Count, stamp);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollSeconds));
        do
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
            {
                // The schema may not be migrated yet at start, or the database is briefly away: try again next tick.
                LogPollFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published policies loaded: {Count} (stamp {Stamp})")]
    private static partial void LogLoaded(ILogger logger, int count, string stamp);

    [LoggerMessage(Level = LogLevel.Error, Message = "Published policy {PolicyId} v{Version} no longer loads and is not served: {Faults}")]
    private static partial void LogUnloadable(ILogger logger, string policyId, int version, string faults);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read published policies: {Reason}")]
    private static partial void LogPollFailed(ILogger logger, string reason);
}
