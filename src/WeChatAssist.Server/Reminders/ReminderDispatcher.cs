using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.WeChat;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.Reminders;

/// <summary>What one dispatch round did.</summary>
internal sealed record DispatchRound(int Claimed, int Sent, int Retrying, int Deferred, int Failed, int Cancelled);

/// <summary>Sends due outbox rows. Runs on every node: claims a batch under a lease, cancels rows whose resident has
/// paid since planning, takes the batch from the app's shared daily budget, sends through the WeChat client with an
/// in-process token bucket per app, and records msgid or the error by class — transient (-1, timeouts, 5xx; the
/// client already retried and refreshed the token once on 40001/42001) back off with jitter up to
/// <see cref="RemindersOptions.MaxAttempts"/>; 45009 waits for the next quota day; permanent codes (43101, 43004,
/// 40003, 47003, …) fail with their code.</summary>
internal sealed partial class ReminderDispatcher(
    ReminderOutbox outbox,
    SendBudgets budgets,
    ReminderContent content,
    PolicyCatalog catalog,
    IWeChatApiClient wechat,
    IOptionsMonitor<WeChatOptions> wechatOptions,
    RemindersOptions options,
    SendingHours hours,
    BusinessClock clock,
    TimeProvider time,
    ILogger<ReminderDispatcher> logger)
{
    private readonly string _node = $"{Environment.MachineName}:{Guid.NewGuid():N}";
    private readonly ConcurrentDictionary<string, SendRateLimiter> _buckets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateOnly> _exhausted = new(StringComparer.Ordinal);

    /// <summary>Claims and sends one batch; returns what happened (all zero when nothing was due).</summary>
    public async Task<DispatchRound> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var token = $"{_node}:{Guid.NewGuid():N}";
        var leaseUntil = now + options.LeaseDuration;
        var items = await outbox.ClaimAsync(token, now, leaseUntil, options.BatchSize, cancellationToken);
        if (items.Count == 0)
        {
            return new DispatchRound(0, 0, 0, 0, 0, 0);
        }

        var today = clock.Today();
        var quotaDay = hours.QuotaDay(now);
        var outcomes = new List<OutboxOutcome>();
        var sendable = new List<(OutboxItem Item, string Account)>();
        var accounts = wechatOptions.CurrentValue.Accounts;
        foreach (var item in items)
        {
            var policy = catalog.Find(item.PolicyId);
            var account = accounts.FirstOrDefault(a => string.Equals(a.Value.AppId, item.AppId, StringComparison.Ordinal)).Key;
            if (policy is null || account is null)
            {
                outcomes.Add(new OutboxOutcome(item.Id, OutboxStatus.Failed, ErrorCode: 0, Error: policy is null ? $"unknown policy '{item.PolicyId}'" : $"no account for app id '{item.AppId}'"));
            }
            else if (ReminderKinds.IsOwing(item.Kind) && item.PaidYear >= policy.BenefitYear)
            {
                outcomes.Add(new OutboxOutcome(item.Id, OutboxStatus.Cancelled));
            }
            else if (ReminderKinds.IsOwing(item.Kind) && catalog.Current(policy.Id, today) is { } current && current.Id != policy.Id)
            {
                // Queued before the county's next year opened its collection: that year now serves the resident
                // (ReminderAudiences) and the planner reminds of its dates; the old year's would be wrong.
                outcomes.Add(new OutboxOutcome(item.Id, OutboxStatus.Cancelled, Error: $"superseded by '{current.Id}'"));
            }
            else
            {
                sendable.Add((item, account));
            }
        }

        // The shared daily budget, taken per app for the whole batch; rows over it wait for the next quota day.
        var nextQuotaDay = hours.NextQuotaDay(now);
        var granted = new List<(OutboxItem Item, string Account)>();
        foreach (var app in sendable.GroupBy(s => s.Item.AppId, StringComparer.Ordinal))
        {
            var rows = app.ToList();
            var allowed = _exhausted.TryGetValue(app.Key, out var day) && day == quotaDay
                ? 0
                : await budgets.ReserveAsync(app.Key, quotaDay, rows.Count, options.DailyBudget, token, leaseUntil, cancellationToken);
            granted.AddRange(rows.Take(allowed));
            foreach (var (item, _) in rows.Skip(allowed))
            {
                outcomes.Add(new OutboxOutcome(item.Id, OutboxStatus.Deferred, nextQuotaDay, WeChatErrorCodes.DailyQuotaReached, "daily budget used"));
            }
        }

        // Outcomes are recorded every chunk: a node dying mid-batch leaves at most one chunk sent but unrecorded,
        // which is re-sent after its lease expires (the at-most-once window).
        await RecordAsync(token, outcomes, leaseUntil, cancellationToken);
        var appOf = granted.ToDictionary(g => g.Item.Id, g => g.Item.AppId);
        var calling = new ConcurrentDictionary<long, bool>();
        var done = 0;
        foreach (var chunk in granted.Chunk(options.RecordEvery))
        {
            var chunkOutcomes = new ConcurrentBag<OutboxOutcome>();
            var completed = false;
            try
            {
                await Parallel.ForEachAsync(
                    chunk,
                    new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
                    async (send, ct) => chunkOutcomes.Add(await SendAsync(send.Item, send.Account, today, quotaDay, calling, ct)));
                completed = true;
            }
            finally
            {
                // Also when the chunk stops early (shutdown, an error mid-chunk): what WeChat accepted is recorded, so
                // only the sends cut off in flight can go out again after the lease (the at-most-once window). Rows
                // whose call never started, in this chunk or a later one, go back to pending at once. Every granted
                // row not recorded as sent gives its budget share back: the re-send WeChat accepts takes it again.
                List<OutboxOutcome> recorded = [.. chunkOutcomes];
                List<OutboxOutcome> settled = [.. chunkOutcomes];
                if (!completed)
                {
                    var finished = recorded.Select(o => o.Id).ToHashSet();
                    var unrecorded = granted.Skip(done).Where(g => !finished.Contains(g.Item.Id)).ToList();
                    recorded.AddRange(unrecorded.Where(g => !calling.ContainsKey(g.Item.Id)).Select(g => new OutboxOutcome(g.Item.Id, OutboxStatus.Pending)));
                    settled.AddRange(unrecorded.Select(g => new OutboxOutcome(g.Item.Id, OutboxStatus.Pending)));
                }

                await RecordAsync(token, recorded, leaseUntil, cancellationToken);
                await SettleAsync(token, settled, appOf);
            }

            outcomes.AddRange(chunkOutcomes);
            done += chunk.Length;
        }

        var round = new DispatchRound(
            items.Count,
            outcomes.Count(o => o.Status == OutboxStatus.Sent),
            outcomes.Count(o => o.Status == OutboxStatus.Pending),
            outcomes.Count(o => o.Status == OutboxStatus.Deferred),
            outcomes.Count(o => o.Status == OutboxStatus.Failed),
            outcomes.Count(o => o.Status == OutboxStatus.Cancelled));
        LogRound(logger, round.Claimed, round.Sent, round.Retrying, round.Deferred, round.Failed, round.Cancelled);
        ReminderMetrics.Dispatched(round);
        return round;
    }

    /// <summary>Records outcomes. While the database is unreachable (a restart, a failover) it retries every
    /// <see cref="RemindersOptions.IdleDelay"/> for as long as the claim's lease holds: the messages are already with
    /// WeChat, and a row whose outcome is lost is sent again once its lease expires. Recording is not cancelled by
    /// shutdown; only the wait between retries is.</summary>
    private async Task RecordAsync(string token, List<OutboxOutcome> outcomes, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                // Idempotent: a retry after a commit whose acknowledgement was lost matches no rows still leased.
                await outbox.CompleteAsync(token, outcomes, clock.GetUtcNow(), CancellationToken.None);
                return;
            }
            catch (Exception e) when ((e is System.Data.Common.DbException or InvalidOperationException) && clock.GetUtcNow() + options.IdleDelay < leaseUntil)
            {
                LogRecordRetry(logger, outcomes.Count, e);
                await Task.Delay(options.IdleDelay, cancellationToken);
            }
        }
    }

    /// <summary>Settles the batch's budget hold for these granted rows: sent rows stay counted; every other outcome
    /// (retrying, deferred on quota, failed, rendered badly, abandoned) gives its share back.</summary>
    private async Task SettleAsync(string token, IEnumerable<OutboxOutcome> outcomes, Dictionary<long, string> appOf)
    {
        foreach (var app in outcomes.GroupBy(o => appOf[o.Id], StringComparer.Ordinal))
        {
            var accepted = app.Count(o => o.Status == OutboxStatus.Sent);
            await budgets.SettleAsync(token, app.Key, accepted, app.Count() - accepted, CancellationToken.None);
        }
    }

    private async Task<OutboxOutcome> SendAsync(OutboxItem item, string account, DateOnly today, DateOnly quotaDay, ConcurrentDictionary<long, bool> calling, CancellationToken cancellationToken)
    {
        RenderedMessage message;
        try
        {
            message = content.Render(item, today);
        }
        catch (Exception e) when (e is KeyNotFoundException or System.Text.Json.JsonException or InvalidOperationException or Templating.TemplateException)
        {
            return new OutboxOutcome(item.Id, OutboxStatus.Failed, ErrorCode: 0, Error: "render: " + e.Message);
        }

        if (_exhausted.TryGetValue(item.AppId, out var day) && day == quotaDay)
        {
            return new OutboxOutcome(item.Id, OutboxStatus.Deferred, hours.NextQuotaDay(clock.GetUtcNow()), WeChatErrorCodes.DailyQuotaReached, "quota day exhausted");
        }

        await Bucket(item.AppId).WaitAsync(cancellationToken);
        calling[item.Id] = true;
        OutboxOutcome outcome;
        try
        {
            outcome = await SendOnChannelAsync(item, account, message, quotaDay, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Outcome(item, WeChatError.Transport(e.GetType().Name + ": " + e.Message), null, quotaDay);
        }

        // No consent (43101), data the template refuses (47003) or not following (43004) concern this channel only:
        // recorded for it, and the row moves to the person's other channel when one is allowed.
        if (outcome is { Status: OutboxStatus.Failed, ErrorCode: { } refused } && MessageChannels.RefusesThisChannelOnly(refused))
        {
            var failure = new OutboxChannelFailure(item.AppId, item.OpenId, item.Channel, refused, outcome.Error);
            var routes = MessageRoutes.For(wechatOptions.CurrentValue, item.PolicyId);
            var next = await outbox.NextChannelAsync(item, routes, options.MiniProgramTemplateIds.GetValueOrDefault(item.Kind),
                options.SubscribeKinds.Contains(item.Kind) ? message.TemplateId : null, cancellationToken);
            if (next is not null)
            {
                LogRerouted(logger, item.Id, item.Channel, item.AppId, refused, next.Channel, next.AppId);
                return new OutboxOutcome(item.Id, OutboxStatus.Pending, clock.GetUtcNow(), outcome.ErrorCode, outcome.Error) { ChannelFailure = failure, Reroute = next };
            }

            return outcome with { ChannelFailure = failure };
        }

        return outcome;
    }

    private async Task<OutboxOutcome> SendOnChannelAsync(OutboxItem item, string account, RenderedMessage message, DateOnly quotaDay, CancellationToken cancellationToken)
    {
        var miniProgram = wechatOptions.CurrentValue.Accounts.TryGetValue(account, out var settings) && settings.Kind == WeChatAccountKind.MiniProgram;
        if (item.Channel == "subscribe")
        {
            // A mini-program's subscribe templates are its own: the kind's mini-program template, with the same keywords.
            var templateId = miniProgram ? options.MiniProgramTemplateIds.GetValueOrDefault(item.Kind) ?? message.TemplateId : message.TemplateId;
            if (!await outbox.UseConsentAsync(item.AppId, item.OpenId, templateId, clock.GetUtcNow(), cancellationToken))
            {
                return new OutboxOutcome(item.Id, OutboxStatus.Failed, ErrorCode: WeChatErrorCodes.UserRefused, Error: "no subscribe consent left");
            }

            var sent = miniProgram
                ? await wechat.SendMiniProgramSubscribeMessageAsync(account, new MiniProgramSubscribeMessage(item.OpenId, templateId, message.Data), cancellationToken)
                : await wechat.SendSubscribeMessageAsync(account, new SubscribeMessage(item.OpenId, templateId, message.Data), cancellationToken);
            return Outcome(item, sent.Error, null, quotaDay);
        }

        if (miniProgram)
        {
            // A mini-program has no template messages.
            return new OutboxOutcome(item.Id, OutboxStatus.Failed, ErrorCode: WeChatErrorCodes.UserRefused, Error: "a mini-program user can only get subscribe messages");
        }

        var result = await wechat.SendTemplateMessageAsync(
            account,
            new TemplateMessage(item.OpenId, message.TemplateId, message.Data) { ClientMessageId = "wca-reminder-" + item.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            cancellationToken);
        return Outcome(item, result.Error, result.IsSuccess ? result.Value : null, quotaDay);
    }

    private OutboxOutcome Outcome(OutboxItem item, WeChatError? error, long? msgId, DateOnly quotaDay)
    {
        var now = clock.GetUtcNow();
        if (error is null)
        {
            return new OutboxOutcome(item.Id, OutboxStatus.Sent, MsgId: msgId);
        }

        switch (error.Class)
        {
            case WeChatErrorClass.Quota when error.ErrorCode == WeChatErrorCodes.TooFrequent:
                return new OutboxOutcome(item.Id, OutboxStatus.Pending, now + TimeSpan.FromMinutes(1), error.ErrorCode, error.ErrorMessage);
            case WeChatErrorClass.Quota:
                _exhausted[item.AppId] = quotaDay;
                LogQuotaReached(logger, item.AppId, error.ErrorCode);
                return new OutboxOutcome(item.Id, OutboxStatus.Deferred, hours.NextQuotaDay(now), error.ErrorCode, error.ErrorMessage);
            case WeChatErrorClass.Permanent:
                return new OutboxOutcome(item.Id, OutboxStatus.Failed, null, error.ErrorCode, error.ErrorMessage);
            default:
                if (item.Attempts >= options.MaxAttempts)
                {
                    return new OutboxOutcome(item.Id, OutboxStatus.Failed, null, error.ErrorCode, $"gave up after {item.Attempts} attempts: {error.ErrorMessage}");
                }

                return new OutboxOutcome(item.Id, OutboxStatus.Pending, now + Backoff(item.Attempts), error.ErrorCode, error.ErrorMessage);
        }
    }

    /// <summary>Base delay doubled per attempt, capped at an hour, times a jitter factor in [0.5, 1.5).</summary>
    private TimeSpan Backoff(int attempts) =>
#pragma warning disable CA5394 // Jitter, not security.
        RetryDelay.After(attempts, options.RetryBaseDelay, TimeSpan.FromHours(1), 0.5, Random.Shared.NextDouble());
#pragma warning restore CA5394

    // A burst of a tenth of a second's sends, so sends spread evenly instead of bursting once a second.
    private SendRateLimiter Bucket(string appId) => _buckets.GetOrAdd(
        appId, _ => new SendRateLimiter(options.SendsPerSecond, Math.Max(1, options.SendsPerSecond / 10), time));

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reminder dispatch: {Claimed} claimed, {Sent} sent, {Retrying} retrying, {Deferred} deferred, {Failed} failed, {Cancelled} cancelled.")]
    private static partial void LogRound(ILogger logger, int claimed, int sent, int retrying, int deferred, int failed, int cancelled);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder outcomes of {Count} rows could not be recorded; retrying while their lease holds.")]
    private static partial void LogRecordRetry(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder {Id}: {Channel} on {AppId} refused it ({ErrorCode}); trying {NextChannel} on {NextAppId}.")]
    private static partial void LogRerouted(ILogger logger, long id, string channel, string appId, int errorCode, string nextChannel, string nextAppId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat quota reached for app {AppId} (errcode {ErrorCode}); reminders wait for the next quota day.")]
    private static partial void LogQuotaReached(ILogger logger, string appId, int errorCode);
}

/// <summary>Runs <see cref="ReminderDispatcher"/> on this node until shutdown; a database outage (failover, restart)
/// is logged and retried, so dispatch resumes by itself.</summary>
internal sealed partial class ReminderDispatchService(IServiceProvider services, RemindersOptions options, ILogger<ReminderDispatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved once the host has started: building the WeChat client validates its options, and start-up checks
        // that run earlier (secrets in settings files, database) must get to report their own errors first.
        await Task.Yield();
        var dispatcher = services.GetRequiredService<ReminderDispatcher>();
        var outbox = services.GetRequiredService<ReminderOutbox>();
        var budgets = services.GetRequiredService<SendBudgets>();
        var clock = services.GetRequiredService<BusinessClock>();
        var nextSweep = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Besides the cluster's sweeper job (every minute), each dispatcher returns expired leases once per
                // lease duration, so a dead node's rows come back within about two lease durations; the budget its
                // batch held goes back at the same time.
                if (clock.GetUtcNow() >= nextSweep)
                {
                    await outbox.SweepAsync(clock.GetUtcNow(), stoppingToken);
                    await budgets.ReleaseExpiredAsync(clock.GetUtcNow(), stoppingToken);
                    nextSweep = clock.GetUtcNow() + options.LeaseDuration;
                }

                var round = await dispatcher.DispatchOnceAsync(stoppingToken);
                if (round.Claimed < options.BatchSize)
                {
                    await Task.Delay(options.IdleDelay, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (System.Data.Common.DbException e)
            {
                LogDatabaseUnavailable(logger, e);
                await Task.Delay(options.IdleDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (InvalidOperationException e)
            {
                // Npgsql reports a broken connection mid-command this way as well.
                LogDatabaseUnavailable(logger, e);
                await Task.Delay(options.IdleDelay, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reminder dispatch could not reach the database; retrying.")]
    private static partial void LogDatabaseUnavailable(ILogger logger, Exception exception);
}
