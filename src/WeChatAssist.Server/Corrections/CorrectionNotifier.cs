using Hangfire;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.WeChat;
using WeChatAssist.WeChat.Api;

namespace WeChatAssist.Server.Corrections;

/// <summary>Tells the resident who asked how their correction was decided, by a mini-program subscribe message.
/// The first send follows the review's commit; a transient failure (-1, HTTP/network, token, quota) schedules one
/// Hangfire job, <see cref="CorrectionOutcomeMessageJob"/>, at the next try's time (exponential backoff up to
/// <c>ResultMessage:MaxAttempts</c>), which reschedules itself the same way; a permanent refusal (43101 no consent,
/// 40003, 47003…) is recorded with its code and nothing is scheduled. <see cref="CorrectionNotificationJob"/> is the
/// slow safety sweep for a message whose job was lost. Every outcome is
/// stored on the correction (staff see it in the queue) and never undoes the review.</summary>
/// <remarks>Retry times are protocol time: the real <see cref="TimeProvider"/>, never the business clock.</remarks>
internal sealed partial class CorrectionNotifier(
    IWeChatApiClient wechat,
    CorrectionStore store,
    [FromKeyedServices(ProblemTextKeys.Corrections)] ProblemTexts texts,
    IOptions<CorrectionsOptions> options,
    BusinessClock businessClock,
    TimeProvider clock,
    IServiceProvider services,
    ILogger<CorrectionNotifier> logger)
{
    /// <summary>How long a send may take before the retry job may take the message over (well above the WeChat
    /// client's own timeout times its attempts).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>WeChat limits a <c>thing</c> keyword to 20 characters.</summary>
    private const int ThingLength = 20;

    private const int BatchSize = 100;

    /// <summary>Sends the outcome message of a reviewed correction once and records what became of it.</summary>
    public async Task<NotificationStatus> SendAsync(Correction correction, CancellationToken cancellationToken)
    {
        var message = options.Value.ResultMessage;
        NotificationRecord record;
        if (string.IsNullOrWhiteSpace(message.TemplateId))
        {
            record = new NotificationRecord(NotificationStatus.Failed, correction.NotifyAttempts, null, null,
                "Corrections:ResultMessage:TemplateId is not configured; no message sent.");
        }
        else
        {
            var request = new MiniProgramSubscribeMessage(correction.OpenId, message.TemplateId, Data(correction, message)) { Page = message.Page };
            WeChatError? error;
            try
            {
                var result = await wechat.SendMiniProgramSubscribeMessageAsync(correction.Account, request, cancellationToken);
                error = result.Error;
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                error = WeChatError.Transport(ex.GetType().Name + ": " + ex.Message);
            }

#pragma warning disable CA5394 // Jitter, not security.
            record = Decide(error, correction.NotifyAttempts + 1, clock.GetUtcNow(), message, businessClock.LocalTimeZone, Random.Shared.NextDouble());
#pragma warning restore CA5394
        }

        switch (record.Status)
        {
            case NotificationStatus.Retrying:
                LogRetrying(logger, correction.Id, record.Attempts, record.NextAt!.Value, record.Error ?? "");
                break;
            case NotificationStatus.Failed:
                LogFailed(logger, correction.Id, record.Attempts, record.Error ?? "");
                break;
        }

        await store.RecordNotificationAsync(correction.Id, record, clock.GetUtcNow(), cancellationToken);
        if (record is { Status: NotificationStatus.Retrying, NextAt: { } nextAt })
        {
            var id = correction.Id;
            services.GetRequiredService<IBackgroundJobClient>().Schedule<CorrectionOutcomeMessageJob>(job => job.RunAsync(id, CancellationToken.None), nextAt);
        }

        return record.Status;
    }

    /// <summary>Sends one correction's message if it is due (queued, or retrying and its wait over) and this call wins
    /// its lease; otherwise does nothing (already sent, failed for good, not yet due, or being sent elsewhere).</summary>
    public async Task<NotificationStatus?> SendIfDueAsync(long correctionId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (await store.LeaseNotificationAsync(correctionId, now, now + Lease, cancellationToken)
            && await store.GetAsync(correctionId, cancellationToken) is { } correction)
        {
            return await SendAsync(correction, cancellationToken);
        }

        return null;
    }

    /// <summary>Sends every message that is due (queued and never sent, or retrying and its wait over); returns how many were tried.</summary>
    public async Task<int> RetryDueAsync(CancellationToken cancellationToken)
    {
        var tried = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var due = await store.DueNotificationsAsync(now, BatchSize, cancellationToken);
            var before = tried;
            foreach (var id in due)
            {
                if (await store.LeaseNotificationAsync(id, now, now + Lease, cancellationToken)
                    && await store.GetAsync(id, cancellationToken) is { } correction)
                {
                    await SendAsync(correction, cancellationToken);
                    tried++;
                }
            }

            if (due.Count < BatchSize || tried == before)
            {
                return tried;
            }
        }
    }

    /// <summary>What one send's answer means: sent; failed for good (a permanent error, or the last attempt); or
    /// retrying after the base delay doubled per attempt (capped, times a jitter factor in [0.75, 1.25)). A daily
    /// quota (45009) waits at least until the next day in <paramref name="zone"/>, when WeChat resets it.</summary>
    /// <param name="error">WeChat's error, or null for success.</param>
    /// <param name="attempt">This send's number, 1 for the first.</param>
    /// <param name="now">The real time of the answer.</param>
    /// <param name="message">Attempts and delays.</param>
    /// <param name="zone">The time zone of WeChat's quota day (China).</param>
    /// <param name="random">A number in [0, 1) for the jitter.</param>
    public static NotificationRecord Decide(WeChatError? error, int attempt, DateTimeOffset now, CorrectionResultMessageOptions message, TimeZoneInfo zone, double random)
    {
        if (error is null)
        {
            return new NotificationRecord(NotificationStatus.Sent, attempt, null, null, null);
        }

        var text = error.ToString();
        if (error.Class == WeChatErrorClass.Permanent)
        {
            return new NotificationRecord(NotificationStatus.Failed, attempt, null, error.ErrorCode, text);
        }

        if (attempt >= message.MaxAttempts)
        {
            return new NotificationRecord(NotificationStatus.Failed, attempt, null, error.ErrorCode, $"Gave up after {attempt} attempts; last: {text}");
        }

        var next = now + RetryDelay.After(attempt, message.RetryBaseDelay, message.RetryMaxDelay, 0.25, random);
        if (error.ErrorCode == WeChatErrorCodes.DailyQuotaReached)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var tomorrow = new DateTimeOffset(local.Date.AddDays(1), zone.GetUtcOffset(local.Date.AddDays(1)));
            next = next > tomorrow ? next : tomorrow;
        }

        return new NotificationRecord(NotificationStatus.Retrying, attempt, next, error.ErrorCode, text);
    }

    private Dictionary<string, string> Data(Correction correction, CorrectionResultMessageOptions message) => new(StringComparer.Ordinal)
    {
        [message.ItemKey] = Thing(texts.Word("field." + CorrectionNames.Name(correction.Field))),
        [message.ResultKey] = texts.Word("status." + CorrectionNames.Name(correction.Status)),
        [message.RemarkKey] = Thing(string.IsNullOrWhiteSpace(correction.Reason) ? texts.Word("remark." + CorrectionNames.Name(correction.Status)) : correction.Reason),
        [message.DateKey] = PolicyFormat.Date(correction.ReviewedOn ?? businessClock.Today()),
    };

    private static string Thing(string text) => text.Length <= ThingLength ? text : text[..(ThingLength - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Correction {CorrectionId}: the outcome message failed (attempt {Attempt}); next try at {NextAt:o}: {Error}")]
    private static partial void LogRetrying(ILogger logger, long correctionId, int attempt, DateTimeOffset nextAt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Correction {CorrectionId}: the outcome message was not sent and will not be retried (attempt {Attempt}): {Error}")]
    private static partial void LogFailed(ILogger logger, long correctionId, int attempt, string error);
}
