using System.Globalization;
using System.Text.Json;
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
    ILogger<BroadcastSender> logger)
{
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

            if (broadcast.SendAt <= now)
            {
                await SendMassAsync(broadcast with { Status = BroadcastStatus.Sending }, cancellationToken);
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

        var queued = await OutboxSql.InsertAsync(connection, transaction, database.Provider, insert, windowStart, spread, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return queued;
    }

    /// <summary>Cancels a broadcast not yet sent, with its outbox rows still waiting; false when it can no longer be cancelled.</summary>
    public async Task<bool> CancelAsync(Broadcast broadcast, string cancelledBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var sent = connection.CreateCommand())
        {
            sent.Transaction = transaction;
            sent.CommandText = "SELECT COUNT(*) FROM reminder_outbox WHERE broadcast_id = @id AND status NOT IN ('pending', 'deferred', 'cancelled')";
            sent.AddParameter("@id", broadcast.Id);
            if (Convert.ToInt64(await sent.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }
        }

        string[] states = [BroadcastStatus.Draft, BroadcastStatus.Approved, BroadcastStatus.Sending];
        var set = new Dictionary<string, object?> { ["cancelled_by"] = cancelledBy };
        var moved = broadcast.Audience.IsTag
            ? await TransitionUnsentMassAsync(broadcast.Id, set, connection, transaction, cancellationToken)
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

        await using (var cancel = connection.CreateCommand())
        {
            cancel.Transaction = transaction;
            cancel.CommandText = "UPDATE reminder_outbox SET status = 'cancelled', last_error = 'broadcast cancelled' WHERE broadcast_id = @id AND status IN ('pending', 'deferred')";
            cancel.AddParameter("@id", broadcast.Id);
            await cancel.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Sends the tag broadcasts whose time has come (the mass-send job).</summary>
    public async Task SendDueMassAsync(CancellationToken cancellationToken)
    {
        foreach (var broadcast in await store.DueMassSendsAsync(clock.GetUtcNow(), cancellationToken))
        {
            await SendMassAsync(broadcast, cancellationToken);
        }
    }

    private static async Task<bool> TransitionUnsentMassAsync(long id, Dictionary<string, object?> set, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE broadcasts SET status = 'cancelled', cancelled_by = @by WHERE id = @id AND status IN ('draft', 'approved', 'sending') AND mass_msg_id IS NULL";
        command.AddParameter("@by", set["cancelled_by"]);
        command.AddParameter("@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private async Task SendMassAsync(Broadcast broadcast, CancellationToken cancellationToken)
    {
        var policy = catalog.Get(broadcast.PolicyId);
        var account = tags.AccountFor(policy.Id);
        if (account is null || broadcast.Audience.TagId is not { } tagId)
        {
            await FailAsync(broadcast.Id, 0, account is null ? $"no WeChat account is configured for policy '{policy.Id}'" : "the broadcast has no tag id", release: false, cancellationToken);
            return;
        }

        if (await tags.FindAsync(policy.Id, account.AppId, tagId, cancellationToken) is null)
        {
            await FailAsync(broadcast.Id, 0, UnknownTag(tagId), release: false, cancellationToken);
            return;
        }

        var now = clock.GetUtcNow();
        var month = TimeZoneInfo.ConvertTime(now, clock.LocalTimeZone).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var routes = await followers.SplitAsync(broadcast.Id, account.AppId, tagId, month, FitsTemplateMessage(policy, broadcast), cancellationToken);
        if (routes.Total == 0)
        {
            await FailAsync(broadcast.Id, 0, $"tag {tagId} has no followers", release: false, cancellationToken);
            return;
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
                // A transient failure leaves it sending with its split: the job tries again next minute, counting
                // nothing twice (and client_msg_id keeps WeChat from repeating it).
                if (result.Error!.Class != WeChatErrorClass.Transient)
                {
                    await FailAsync(broadcast.Id, result.Error.ErrorCode, result.Error.ErrorMessage, release: true, cancellationToken);
                }

                return;
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
            await BroadcastFollowers.QueueOutboxAsync(connection, transaction, database.Provider, broadcast.Id, policy.Id, payload, hours.Window(now).Start, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
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

/// <summary>Sends tag broadcasts whose scheduled time has come.</summary>
internal sealed class BroadcastMassSendJob(BroadcastSender sender) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken) =>
        await sender.SendDueMassAsync(cancellationToken);
}
