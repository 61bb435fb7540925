using WeChatAssist.Server.Scheduling;


namespace WeChatAssist.Server.Corrections;

/// <summary>The safety sweep: sends the outcome messages that are due but whose job never ran — first sends whose
/// review-time send never happened (the node stopped after the commit), and retries whose scheduled
/// <see cref="CorrectionOutcomeMessageJob"/> was lost. One node of the cluster at a time.</summary>
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

/// <summary>One correction's outcome message, scheduled at its next try after a transient failure. It reschedules
/// itself through <see cref="CorrectionNotifier.SendAsync"/> while WeChat keeps failing transiently, and does nothing
/// when run again, early, or after the message was sent or failed for good (the notification lease decides).</summary>
internal sealed class CorrectionOutcomeMessageJob(CorrectionNotifier notifier)
{
    public async Task RunAsync(long correctionId, CancellationToken cancellationToken) =>
        await notifier.SendIfDueAsync(correctionId, cancellationToken);
}
