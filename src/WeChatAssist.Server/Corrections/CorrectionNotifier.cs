using Hangfire;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.WeChat;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.Corrections;

/// <summary>Tells the resident who asked how their correction was decided, by a mini-program subscribe message, or
/// through the official account they follow when the mini-program cannot carry it (see <see cref="SendAsync"/>).
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
    CorrectionChannelFailures failures,
    MessageChannels channels,
    IOptionsMonitor<WeChatOptions> wechatOptions,
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

    /// <summary>Sends the outcome message of a reviewed correction once and records what became of it. The channel
    /// is chosen as for reminders (<see cref="MessageChannels"/>): the mini-program's subscribe message to the resident
    /// who asked, else the official-account follower sharing their unionid. A channel that refuses it for itself only
    /// (43101, 47003, 43004) is recorded in <c>correction_channel_failures</c> and the next one is tried at once; the
    /// first delivery ends it, so the person gets one message whatever their channels.</summary>
    public async Task<NotificationStatus> SendAsync(Correction correction, CancellationToken cancellationToken)
    {
        var message = options.Value.ResultMessage;
        var templates = new MessageTemplates(
            Configured(message.TemplateId),
            Configured(message.OfficialSubscribeTemplateId),
            OfficialTemplate: Configured(message.OfficialTemplateId) is not null,
            MiniProgramConsent.UnlessRefused);
        NotificationRecord record;
        if (templates is { MiniProgramSubscribe: null, OfficialSubscribe: null, OfficialTemplate: false })
        {
            record = new NotificationRecord(NotificationStatus.Failed, correction.NotifyAttempts, null, null,
                "Corrections:ResultMessage:TemplateId is not configured; no message sent.");
        }
        else
        {
            // A correction is always submitted in the mini-program (/api/v1/mp), so the submitter's app is a
            // mini-program here whatever its account's Kind says (in development the panel shares the account's app).
            var routes = MessageRoutes.For(wechatOptions.CurrentValue, correction.PolicyId);
            routes = routes with { MiniProgramAppIds = [.. routes.MiniProgramAppIds.Append(correction.AppId).Distinct(StringComparer.Ordinal)] };
            var tried = await failures.TriedAsync(correction.Id, cancellationToken);
            var candidates = (await channels.ForUserAsync(correction.AppId, correction.OpenId, routes, templates, cancellationToken))
                .Where(c => !tried.Contains((c.AppId, c.Channel)))
                .ToList();
            WeChatError? error = candidates.Count == 0
                ? WeChatError.FromCode(WeChatErrorCodes.UserRefused, "no channel left: the resident cannot be reached through the mini-program or a followed official account")
                : null;
            foreach (var target in candidates)
            {
                error = await SendOnAsync(target, correction, message, cancellationToken);
                if (error is { ErrorCode: var code } && MessageChannels.RefusesThisChannelOnly(code))
                {
                    await failures.RecordAsync(correction.Id, target, code, error.ToString(), clock.GetUtcNow(), cancellationToken);
                    LogChannelRefused(logger, correction.Id, target.Channel, target.AppId, code);
                    continue;
                }

                break;
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

    /// <summary>One send on one channel; WeChat's error, or null when it was accepted.</summary>
    private async Task<WeChatError?> SendOnAsync(MessageTarget target, Correction correction, CorrectionResultMessageOptions message, CancellationToken cancellationToken)
    {
        var accounts = wechatOptions.CurrentValue.Accounts;
        var submitter = string.Equals(target.AppId, correction.AppId, StringComparison.Ordinal);
        var account = submitter ? correction.Account
            : accounts.FirstOrDefault(a => a.Value is not null && string.Equals(a.Value.AppId, target.AppId, StringComparison.Ordinal)).Key;
        if (account is null || !accounts.TryGetValue(account, out var settings))
        {
            return WeChatError.FromCode(WeChatErrorCodes.UserRefused, $"no configured account has app id {target.AppId}");
        }

        var data = Data(correction, message);
        var miniProgram = target.Channel == MessageChannels.Subscribe && (submitter || settings.Kind == WeChatAccountKind.MiniProgram);
        var opens = accounts.TryGetValue(correction.Account, out var mini) && mini.Kind == WeChatAccountKind.MiniProgram ? new MiniProgramPage(mini.AppId, message.Page) : null;
        // A consent recorded from the push is used up by the send; the official account's subscribe message needs one
        // (the mini-program's is asked for on the corrections page, so WeChat judges it when none was recorded).
        if (target.Channel == MessageChannels.Subscribe)
        {
            var template = miniProgram ? message.TemplateId! : message.OfficialSubscribeTemplateId!;
            if (!await channels.UseConsentAsync(target.AppId, target.OpenId, template, clock.GetUtcNow(), cancellationToken) && !miniProgram)
            {
                return WeChatError.FromCode(WeChatErrorCodes.UserRefused, "no subscribe consent left");
            }
        }

        try
        {
            if (miniProgram)
            {
                return (await wechat.SendMiniProgramSubscribeMessageAsync(account, new MiniProgramSubscribeMessage(target.OpenId, message.TemplateId!, data) { Page = message.Page }, cancellationToken)).Error;
            }

            if (target.Channel == MessageChannels.Subscribe)
            {
                return (await wechat.SendSubscribeMessageAsync(account, new SubscribeMessage(target.OpenId, message.OfficialSubscribeTemplateId!, data) { MiniProgram = opens }, cancellationToken)).Error;
            }

            var templateMessage = new TemplateMessage(target.OpenId, message.OfficialTemplateId!, data)
            {
                MiniProgram = opens,
                ClientMessageId = "wca-correction-" + correction.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            return (await wechat.SendTemplateMessageAsync(account, templateMessage, cancellationToken)).Error;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return WeChatError.Transport(ex.GetType().Name + ": " + ex.Message);
        }
    }

    private static string? Configured(string? templateId) => string.IsNullOrWhiteSpace(templateId) ? null : templateId;

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Correction {CorrectionId}: {Channel} on {AppId} refused the outcome message ({ErrorCode}); trying the resident's next channel.")]
    private static partial void LogChannelRefused(ILogger logger, long correctionId, string channel, string appId, int errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Correction {CorrectionId}: the outcome message failed (attempt {Attempt}); next try at {NextAt:o}: {Error}")]
    private static partial void LogRetrying(ILogger logger, long correctionId, int attempt, DateTimeOffset nextAt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Correction {CorrectionId}: the outcome message was not sent and will not be retried (attempt {Attempt}): {Error}")]
    private static partial void LogFailed(ILogger logger, long correctionId, int attempt, string error);
}
