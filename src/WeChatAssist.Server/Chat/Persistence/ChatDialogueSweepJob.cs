using Quartz;

namespace WeChatAssist.Server.Chat.Persistence;

/// <summary>Deletes expired dialogue state. Runs on one node of the cluster at a time; expiry is real time.</summary>
[QuartzJob(Description = "Deletes expired rows of chat_dialogue_state.")]
[CronTrigger("0 0/10 * * * ?")]
[DisallowConcurrentExecution]
internal sealed partial class ChatDialogueSweepJob(DbDialogueStateStore store, ILogger<ChatDialogueSweepJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
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
