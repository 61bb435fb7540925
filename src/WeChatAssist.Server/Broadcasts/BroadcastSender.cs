using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Quartz;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Reminders;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>Sends approved broadcasts: per resident through the reminder outbox (audience all, township, village,
/// unpaid — with the outbox's preferences, budgets, retries and delivery status), or as one mass send by tag,
/// counted against the four mass sends a follower may get per month.</summary>
internal sealed partial class BroadcastSender(
    DatabaseTarget database,
    BroadcastStore store,
    PolicyCatalog catalog,
    ReminderContent content,
    IWeChatApiClient wechat,
    IOptionsMonitor<WeChatOptions> wechatOptions,
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
        var insert = new OutboxInsert(policy.Id, "broadcast-" + id, ReminderKinds.Broadcast, id, ReminderPlanner.Channel, payload, policy.BenefitYear, command =>
        {
            command.AddParameter("@township", audience.Township);
            command.AddParameter("@village", audience.Village);
            return audience.Kind switch
            {
                "township" => "r.township = @township",
                "village" => "r.township = @township AND r.village = @village",
                "unpaid" => "(r.paid_year IS NULL OR r.paid_year < @year)",
                _ => "1 = 1",
            };
        })
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
        var accounts = wechatOptions.CurrentValue.Accounts.Where(a => string.Equals(a.Value.PolicyId, policy.Id, StringComparison.Ordinal)).ToList();
        if (accounts.Count == 0 || broadcast.Audience.TagId is not { } tagId)
        {
            await store.TransitionAsync(broadcast.Id, [BroadcastStatus.Sending], BroadcastStatus.Failed, new Dictionary<string, object?> { ["last_error_code"] = 0 }, cancellationToken);
            return;
        }

        var (account, options) = (accounts[0].Key, accounts[0].Value);
        var now = clock.GetUtcNow();
        var month = TimeZoneInfo.ConvertTime(now, clock.LocalTimeZone).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (!await store.TakeMassSendAsync(options.AppId, month, cancellationToken))
        {
            LogMassQuotaUsed(logger, broadcast.Id, options.AppId, month);
            await store.TransitionAsync(broadcast.Id, [BroadcastStatus.Sending], BroadcastStatus.Failed, new Dictionary<string, object?> { ["last_error_code"] = 45028 }, cancellationToken);
            return;
        }

        // Text mass messages carry the whole notice, rendered for an ordinary resident (amounts per tier, deadline, channels).
        var text = broadcast.Title + "\n" + content.RenderBroadcastText(policy, broadcast.Template, new ResidentFacts { BirthDate = new DateOnly(1980, 1, 1) }, clock.Today());
        var message = MassMessage.Text(text) with { ClientMessageId = "wca-broadcast-" + broadcast.Id.ToString(CultureInfo.InvariantCulture) };
        var result = await wechat.MassSendByTagAsync(account, tagId, message, cancellationToken);
        if (result.IsSuccess)
        {
            await store.TransitionAsync(broadcast.Id, [BroadcastStatus.Sending], BroadcastStatus.Sent, new Dictionary<string, object?> { ["mass_msg_id"] = result.Value.MsgId, ["sent_at"] = now }, cancellationToken);
        }
        else if (result.Error!.Class != WeChatErrorClass.Transient)
        {
            await store.TransitionAsync(broadcast.Id, [BroadcastStatus.Sending], BroadcastStatus.Failed, new Dictionary<string, object?> { ["last_error_code"] = result.Error.ErrorCode }, cancellationToken);
        }

        // A transient failure leaves it sending: the job tries again next minute (client_msg_id keeps WeChat from repeating it).
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broadcast {BroadcastId} not sent: app {AppId} already made four mass sends in {Month}.")]
    private static partial void LogMassQuotaUsed(ILogger logger, long broadcastId, string appId, string month);
}

/// <summary>Sends tag broadcasts whose scheduled time has come.</summary>
[QuartzJob(Description = "Sends scheduled tag broadcasts (mass send).")]
[CronTrigger("0 * * * * ?")]
[DisallowConcurrentExecution]
internal sealed class BroadcastMassSendJob(BroadcastSender sender) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await sender.SendDueMassAsync(cancellationToken);
}
