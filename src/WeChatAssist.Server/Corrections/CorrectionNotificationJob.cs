using Quartz;

namespace WeChatAssist.Server.Corrections;

/// <summary>Sends the outcome messages that are due: retries after transient failures, and first sends whose
/// review-time send never happened (the node stopped after the commit). One node of the cluster at a time.</summary>
[QuartzJob(Description = "Sends due correction outcome messages (retries with backoff).")]
[CronTrigger("30 * * * * ?")]
[DisallowConcurrentExecution]
internal sealed partial class CorrectionNotificationJob(CorrectionNotifier notifier, ILogger<CorrectionNotificationJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var tried = await notifier.RetryDueAsync(cancellationToken);
        if (tried > 0)
        {
            LogTried(logger, tried);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} due correction outcome messages.")]
    private static partial void LogTried(ILogger logger, int count);
}
