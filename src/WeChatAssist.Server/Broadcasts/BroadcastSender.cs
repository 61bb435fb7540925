using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.Storage;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Reminders;
using WeChatAssist.WeChat.Api;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>Sends approved broadcasts: per resident through the reminder outbox (audience all, township, village,
/// unpaid — with the outbox's preferences, budgets, retries and delivery status), or as one mass send by tag,
/// counted against the four mass sends each follower may get per month; followers already at four get a
/// per-resident template message through the outbox instead when the broadcast fits one.</summary>
internal sealed partial class BroadcastSender(
    DatabaseTarget database,
    BroadcastStore store,
    BroadcastTags tags,
    BroadcastFollowers followers,
    PolicyCatalog catalog,
    ReminderContent content,
    IWeChatApiClient wechat,
    SendingHours hours,
    BusinessClock clock,
    IServiceProvider services,
    ILogger<BroadcastSender> logger)
{
    /// <summary>How long a send waits for another run of the same broadcast's send before leaving it to that run.</summary>
    private static readonly TimeSpan LockWait = TimeSpan.FromSeconds(1);

    /// <summary>When a mass send that failed transiently at <c>/send</c> is first tried again by its job.</summary>
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);

    /// <summary>Queues an approved broadcast: outbox rows now (due at its send time), or the mass send at its time.
    /// Returns the rows queued (0 for a mass send), or null when it was not approved.</summary>
    public async Task<int?> QueueAsync(Broadcast broadcast, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        var now = clock.GetUtcNow();
        if (broadcast.Audience.IsTag)
        {
            if (!await store.TransitionAsync(broadcast.Id, [BroadcastStatus.Approved], BroadcastStatus.Sending, new Dictionary<string, object?>(), cancellationToken))
            {
                return null;
            }

            // A send time still to come is one Hangfire job at that time (the delay is taken on the business clock, so
            // a test clock set in the past still waits the same span). A send due now goes out inside the request; if
            // WeChat fails transiently, the same job tries again a minute later.
            if (broadcast.SendAt > now)
            {
                ScheduleMassSend(broadcast.Id, broadcast.SendAt - now);
            }
            else if (await SendMassLockedAsync(broadcast with { Status = BroadcastStatus.Sending }, cancellationToken) == MassSendOutcome.Transient)
            {
                ScheduleMassSend(broadcast.Id, FirstRetry);
            }

            return 0;
        }

        var policy = catalog.Get(broadcast.PolicyId);
        var (windowStart, spread) = hours.Window(broadcast.SendAt > now ? broadcast.SendAt : now);
        var payload = JsonSerializer.Serialize(new ReminderPayload { Title = broadcast.Title, Text = broadcast.Template }, JsonSerializerOptions.Web);
        var id = broadcast.Id.ToString(CultureInfo.InvariantCulture);
        var audience = broadcast.Audience;
        var insert = new OutboxInsert(policy.Id, "broadcast-" + id, ReminderKinds.Broadcast, id, ReminderPlanner.Channel, payload, policy.BenefitYear, audience.ResidentCondition)
        { BroadcastId = broadcast.Id };

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await store.TransitionAsync(broadcast.Id, [BroadcastStatus.Approved], BroadcastStatus.Sending, new Dictionary<string, object?>(), cancellationToken, connection, transaction))
        {
            return null;
        }

        var queued = await OutboxSql.InsertAsync(connection, transaction, database.Dialect, insert, windowStart, spread, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    /// <summary>Cancels a broadcast not yet sent, with its outbox rows still waiting; false when it can no longer be cancelled.</summary>
    public async Task<bool> CancelAsync(Broadcast broadcast, string cancelledBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ReminderOutbox.BroadcastStartedAsync(connection, transaction, broadcast.Id, cancellationToken))
        {
            return false;
        }

        string[] states = [BroadcastStatus.Draft, BroadcastStatus.Approved, BroadcastStatus.Sending];
        var set = new Dictionary<string, object?> { ["cancelled_by"] = cancelledBy };
        var moved = broadcast.Audience.IsTag
            ? await BroadcastStore.CancelUnsentMassAsync(broadcast.Id, cancelledBy, connection, transaction, cancellationToken)
            : await store.TransitionAsync(broadcast.Id, states, BroadcastStatus.Cancelled, set, cancellationToken, connection, transaction);
        if (!moved)
        {
            return false;
        }

        if (broadcast.Audience.IsTag)
        {
            // Split before a send that failed transiently: its followers get their month's send back.
            await BroadcastFollowers.ReleaseAsync(connection, transaction, broadcast.Id, cancellationToken);
        }

        await ReminderOutbox.CancelBroadcastAsync(connection, transaction, broadcast.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Sends the tag broadcasts whose time has come and that are still unsent (the safety sweep, for a
    /// broadcast whose job was lost or gave up).</summary>
    public async Task SendDueMassAsync(CancellationToken cancellationToken)
    {
        foreach (var broadcast in await store.DueMassSendsAsync(clock.GetUtcNow(), cancellationToken))
        {
            await SendMassLockedAsync(broadcast, cancellationToken);
        }
    }

    /// <summary>Sends one tag broadcast's mass send (its scheduled job). Does nothing unless the broadcast is still
    /// <c>sending</c> with no mass send made: a second run of the job, or a run after it was cancelled, sent or
    /// failed, changes nothing.</summary>
    public async Task<MassSendOutcome> SendScheduledMassAsync(long broadcastId, CancellationToken cancellationToken)
    {
        var broadcast = await store.FindAsync(broadcastId, cancellationToken);
        if (broadcast is null || !broadcast.Audience.IsTag || broadcast.Status != BroadcastStatus.Sending || broadcast.MassMsgId is not null)
        {
            return MassSendOutcome.Nothing;
        }

        return await SendMassLockedAsync(broadcast, cancellationToken);
    }

    private void ScheduleMassSend(long broadcastId, TimeSpan delay) =>
        services.GetRequiredService<IBackgroundJobClient>().Schedule<BroadcastMassSendJob>(job => job.RunAsync(broadcastId, CancellationToken.None), delay);

    /// <summary>Sends under a lock per broadcast in the job storage, so the job, its retry and the safety sweep never
    /// make the same mass send at once (each re-reads the state inside). A send that finds the lock held is left to
    /// the run holding it.</summary>
    private async Task<MassSendOutcome> SendMassLockedAsync(Broadcast broadcast, CancellationToken cancellationToken)
    {
        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        IDisposable held;
        try
        {
            held = connection.AcquireDistributedLock("wechatassist:broadcast:" + broadcast.Id.ToString(CultureInfo.InvariantCulture), LockWait);
        }
        catch (DistributedLockTimeoutException)
        {
            return MassSendOutcome.Nothing;
        }

        using (held)
        {
            var current = await store.FindAsync(broadcast.Id, cancellationToken);
            if (current is null || current.Status != BroadcastStatus.Sending || current.MassMsgId is not null)
            {
                return MassSendOutcome.Nothing;
            }

            return await SendMassAsync(current, cancellationToken);
        }
    }

    private async Task<MassSendOutcome> SendMassAsync(Broadcast broadcast, CancellationToken cancellationToken)
    {
        var policy = catalog.Get(broadcast.PolicyId);
        var account = tags.AccountFor(policy.Id);
        if (account is null || broadcast.Audience.TagId is not { } tagId)
        {
            await FailAsync(broadcast.Id, 0, account is null ? $"no WeChat account is configured for policy '{policy.Id}'" : "the broadcast has no tag id", release: false, cancellationToken);
            return MassSendOutcome.Failed;
        }

        if (await tags.FindAsync(policy.Id, account.AppId, tagId, cancellationToken) is null)
        {
            await FailAsync(broadcast.Id, 0, UnknownTag(tagId), release: false, cancellationToken);
            return MassSendOutcome.Failed;
        }

        var now = clock.GetUtcNow();
        var month = TimeZoneInfo.ConvertTime(now, clock.LocalTimeZone).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var routes = await followers.SplitAsync(broadcast.Id, account.AppId, tagId, month, FitsTemplateMessage(policy, broadcast), cancellationToken);
        if (routes.Total == 0)
        {
            await FailAsync(broadcast.Id, 0, $"tag {tagId} has no followers", release: false, cancellationToken);
            return MassSendOutcome.Failed;
        }

        long? massMsgId = null;
        if (routes.Mass > 0)
        {
            if (routes.Mass < routes.Total)
            {
                LogFollowersAtLimit(logger, broadcast.Id, routes.Total - routes.Mass, routes.Total, month, routes.Outbox, routes.Skipped);
            }

            // Text mass messages carry the whole notice, rendered for an ordinary resident (amounts per tier, deadline,
            // channels). Followers at the limit are in the tag too: WeChat does not deliver to them.
            var text = broadcast.Title + "\n" + content.RenderBroadcastText(policy, broadcast.Template, BroadcastEndpoints.Ordinary, clock.Today());
            var message = MassMessage.Text(text) with { ClientMessageId = "wca-broadcast-" + broadcast.Id.ToString(CultureInfo.InvariantCulture) };
            var result = await wechat.MassSendByTagAsync(account.Name, tagId, message, cancellationToken);
            if (!result.IsSuccess)
            {
                // A transient failure leaves it sending with its split: its job tries again with Hangfire's backoff, counting
                // nothing twice (and client_msg_id keeps WeChat from repeating it).
                if (result.Error!.Class != WeChatErrorClass.Transient)
                {
                    await FailAsync(broadcast.Id, result.Error.ErrorCode, result.Error.ErrorMessage, release: true, cancellationToken);
                    return MassSendOutcome.Failed;
                }

                return MassSendOutcome.Transient;
            }

            massMsgId = result.Value.MsgId;
        }
        else
        {
            LogFollowersAtLimit(logger, broadcast.Id, routes.Total, routes.Total, month, routes.Outbox, routes.Skipped);
        }

        var payload = JsonSerializer.Serialize(new ReminderPayload { Title = broadcast.Title, Text = broadcast.Template }, JsonSerializerOptions.Web);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var sent = new Dictionary<string, object?> { ["mass_msg_id"] = massMsgId, ["sent_at"] = now };
        if (await store.TransitionAsync(broadcast.Id, [BroadcastStatus.Sending], BroadcastStatus.Sent, sent, cancellationToken, connection, transaction))
        {
            await BroadcastFollowers.QueueOutboxAsync(connection, transaction, database.Dialect, broadcast.Id, policy.Id, payload, hours.Window(now).Start, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return MassSendOutcome.Sent;
    }

    /// <summary>The staff-facing reason a tag outside WeChatAssist's own cannot be used.</summary>
    public static string UnknownTag(int tagId) =>
        $"tag {tagId} was not created by WeChatAssist (POST /api/v1/admin/broadcasts/tags), so its followers, and how many of this month's four mass sends each has had, are unknown";

    /// <summary>Whether a follower at the limit can get the broadcast as a template message instead: its title and
    /// text (rendered for an ordinary resident) fit the template's 20-character keyword.</summary>
    private bool FitsTemplateMessage(InsurancePolicy policy, Broadcast broadcast) =>
        broadcast.Title.Length <= BroadcastEndpoints.TemplateTextLimit
        && content.RenderBroadcastText(policy, broadcast.Template, BroadcastEndpoints.Ordinary, clock.Today()).Length <= BroadcastEndpoints.TemplateTextLimit;

    private async Task FailAsync(long id, int errorCode, string error, bool release, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var set = new Dictionary<string, object?> { ["last_error_code"] = errorCode, ["last_error"] = error };
        if (await store.TransitionAsync(id, [BroadcastStatus.Sending], BroadcastStatus.Failed, set, cancellationToken, connection, transaction) && release)
        {
            await BroadcastFollowers.ReleaseAsync(connection, transaction, id, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Broadcast {BroadcastId}: {AtLimit} of {Total} followers already had four mass sends in {Month}; {Outbox} get a template message instead, {Skipped} are left out.")]
    private static partial void LogFollowersAtLimit(ILogger logger, long broadcastId, int atLimit, int total, string month, int outbox, int skipped);
}

/// <summary>What one run of a mass send did.</summary>
internal enum MassSendOutcome
{
    /// <summary>Nothing to do: already sent, failed or cancelled, or another run holds the broadcast.</summary>
    Nothing,

    /// <summary>Sent (or, every follower being at the limit, routed to the outbox).</summary>
    Sent,

    /// <summary>Refused for good, or impossible; the broadcast is <c>failed</c>.</summary>
    Failed,

    /// <summary>WeChat failed transiently; the broadcast stays <c>sending</c> with its split.</summary>
    Transient,
}

/// <summary>One tag broadcast's mass send at its send time, scheduled by <c>/send</c>. A transient WeChat failure
/// throws, so Hangfire's automatic retry tries again with its backoff (10 attempts); every run re-reads the broadcast
/// and does nothing once it is sent, failed or cancelled.</summary>
internal sealed class BroadcastMassSendJob(BroadcastSender sender)
{
    public async Task RunAsync(long broadcastId, CancellationToken cancellationToken)
    {
        if (await sender.SendScheduledMassAsync(broadcastId, cancellationToken) == MassSendOutcome.Transient)
        {
            throw new BroadcastSendDeferredException(broadcastId);
        }
    }
}

/// <summary>Tells Hangfire that a mass send failed transiently and is to be retried.</summary>
internal sealed class BroadcastSendDeferredException(long broadcastId)
    : Exception($"Broadcast {broadcastId}: WeChat failed transiently; the mass send will be retried.");

/// <summary>The safety sweep: sends tag broadcasts whose time has passed and that are still unsent, should their
/// own job have been lost (storage restored from backup) or have used up its retries.</summary>
internal sealed class BroadcastMassSendSweepJob(BroadcastSender sender) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await sender.SendDueMassAsync(cancellationToken);
}
