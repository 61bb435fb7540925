using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Data;

/// <summary>Deletes WeChat de-duplication keys whose retry window has passed. Runs on one node of the cluster at a
/// time; expiry is protocol time, so it uses the real clock, never the business clock.</summary>
internal sealed partial class MessageDedupeSweepJob(MessageDedupeStore store, TimeProvider realClock, ILogger<MessageDedupeSweepJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var deleted = await store.DeleteExpiredAsync(realClock.GetUtcNow(), cancellationToken);
        if (deleted > 0)
        {
            LogSwept(logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} expired message de-duplication keys.")]
    private static partial void LogSwept(ILogger logger, int count);
}
