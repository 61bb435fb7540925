using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Chat.Persistence;

/// <summary>Deletes expired dialogue state. Runs on one node of the cluster at a time; expiry is real time.</summary>
internal sealed partial class ChatDialogueSweepJob(DbDialogueStateStore store, ILogger<ChatDialogueSweepJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var deleted = await store.SweepAsync(cancellationToken);
        if (deleted > 0)
        {
            LogSwept(logger, deleted);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} expired chat dialogue states.")]
    private static partial void LogSwept(ILogger logger, int count);
}
