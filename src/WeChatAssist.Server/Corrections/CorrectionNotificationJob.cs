using WeChatAssist.Server.Scheduling;


namespace WeChatAssist.Server.Corrections;

/// <summary>Sends the outcome messages that are due: retries after transient failures, and first sends whose
/// review-time send never happened (the node stopped after the commit). One node of the cluster at a time.</summary>
internal sealed partial class CorrectionNotificationJob(CorrectionNotifier notifier, ILogger<CorrectionNotificationJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
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
