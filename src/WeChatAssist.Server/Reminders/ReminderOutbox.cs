using System.Data.Common;
using Dapper;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.WeChat;

namespace WeChatAssist.Server.Reminders;

/// <summary>A claimed outbox row with the resident's facts read in the same claim (the debt re-check uses them).</summary>
internal sealed record OutboxItem(
    long Id, string PolicyId, string Rule, string Kind, long? ResidentId, string AppId, string OpenId, string Channel, string Payload, int Attempts,
    DateOnly? BirthDate, IReadOnlyList<string> Categories, int? PaidYear, DateOnly? PaidOn);

/// <summary>How a claimed row ends this round.</summary>
internal enum OutboxStatus
{
    Pending,
    Sent,
    Deferred,
    Failed,
    Cancelled,
}

/// <summary>The outcome to record for a claimed row.</summary>
internal sealed record OutboxOutcome(long Id, OutboxStatus Status, DateTimeOffset? SendAfter = null, int? ErrorCode = null, string? Error = null, long? MsgId = null)
{
    /// <summary>The channel that refused the row (recorded in <c>reminder_channel_failures</c>), if one did.</summary>
    public OutboxChannelFailure? ChannelFailure { get; init; }

    /// <summary>Where the row goes next instead (another channel of the same person); it stays one row.</summary>
    public MessageTarget? Reroute { get; init; }
}

/// <summary>A failed row as the failed-rows export lists it.</summary>
internal sealed record FailedReminder(long Id, string PolicyId, string Rule, string Kind, long? ResidentId, string Channel, int Attempts, int? LastErrorCode, string? LastError, DateTimeOffset CreatedAt);

/// <summary>Counts of one kind and status.</summary>
internal sealed record ReminderCount(string Kind, string Status, long Count);

/// <summary>One per-resident message of a broadcast.</summary>
internal sealed record BroadcastMessage(long Id, long? ResidentId, string Status, int? LastErrorCode, long? MsgId, DateTimeOffset? SentAt);

/// <summary>How one channel refused a row.</summary>
internal sealed record OutboxChannelFailure(string AppId, string OpenId, string Channel, int ErrorCode, string? Error);

/// <summary>The outbox's claim, completion and lease sweep (the shared daily budget is <see cref="SendBudgets"/>). Claims use <c>FOR UPDATE SKIP
/// LOCKED</c> on PostgreSQL so nodes never claim the same row; SQLite (one node) claims in an immediate
/// transaction. A claim stamps its rows with a lease token and expiry; completion only touches rows still holding
/// that token, so a row a sweeper returned and another node re-claimed is not overwritten.</summary>
internal sealed class ReminderOutbox(DatabaseTarget database, ISqlDialect dialect, MessageChannels channels)
{
    private const string ItemColumns = """
        o.id, o.policy_id, o.rule, o.kind, o.resident_id, o.app_id, o.open_id, o.channel, CAST(o.payload AS text) AS payload, o.attempts,
        r.birth_date, r.category_codes, r.paid_year, r.paid_on
        """;

    /// <summary>Leases up to <paramref name="limit"/> due rows to <paramref name="leaseToken"/> and reads them with
    /// their residents' facts. The condition matches the partial index <c>reminder_outbox_claim</c> exactly, so a
    /// claim stays an index range scan however many rows the outbox holds.</summary>
    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string leaseToken, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition($"""
            UPDATE reminder_outbox SET status = 'leased', lease_owner = @leaseToken, lease_until = @leaseUntil, attempts = attempts + 1
            WHERE id IN (SELECT id FROM reminder_outbox
                         WHERE status IN ('pending', 'deferred') AND send_after <= @now
                         ORDER BY send_after LIMIT @limit{dialect.ForUpdateSkipLocked})
            RETURNING id
            """,
            new { leaseToken, leaseUntil, now, limit },
            transaction,
            cancellationToken: cancellationToken))).AsList();
        if (ids.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return [];
        }

        // By primary key: the lease token has no index, and a scan of a million-row outbox per claim is what
        // would make dispatch slow down as the table grows.
        var rows = await connection.QueryAsync<ClaimedRow>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM reminder_outbox o LEFT JOIN {ResidentSql.Roster} r ON r.id = o.resident_id WHERE o.id {dialect.AnyOf("@ids")}",
            new { ids = ids.ToArray() },
            transaction,
            cancellationToken: cancellationToken));
        var items = rows.Select(r => new OutboxItem(
            r.Id, r.PolicyId, r.Rule, r.Kind, r.ResidentId, r.AppId, r.OpenId, r.Channel, r.Payload, r.Attempts,
            r.BirthDate, r.CategoryCodes is null ? [] : r.CategoryCodes.Split(',', StringSplitOptions.RemoveEmptyEntries), r.PaidYear, r.PaidOn)).ToList();
        await transaction.CommitAsync(cancellationToken);
        return items;
    }

    /// <summary>Records the outcomes of one claim in one transaction (one round trip on PostgreSQL).</summary>
    public async Task CompleteAsync(string leaseToken, IReadOnlyCollection<OutboxOutcome> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return;
        }

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        const string Sql = """
            UPDATE reminder_outbox SET status = @status, send_after = COALESCE(@sendAfter, send_after), last_error_code = @code, last_error = @error,
                   msgid = COALESCE(@msgid, msgid), sent_at = CASE WHEN @status = 'sent' THEN @now ELSE sent_at END, lease_owner = NULL, lease_until = NULL,
                   app_id = COALESCE(@toApp, app_id), open_id = COALESCE(@toOpen, open_id), channel = COALESCE(@toChannel, channel)
            WHERE id = @id AND lease_owner = @token AND status = 'leased'
            """;
        const string FailureSql = """
            INSERT INTO reminder_channel_failures (outbox_id, app_id, channel, open_id, error_code, error, at)
            SELECT @id, @failApp, @failChannel, @failOpen, @failCode, @failError, @now
            WHERE EXISTS (SELECT 1 FROM reminder_outbox WHERE id = @id AND lease_owner = @token AND status = 'leased')
            ON CONFLICT (outbox_id, app_id, channel) DO NOTHING
            """;
        if (connection.CanCreateBatch)
        {
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var outcome in outcomes)
            {
                if (outcome.ChannelFailure is not null)
                {
                    var failure = batch.CreateBatchCommand();
                    failure.CommandText = FailureSql;
                    BindFailure(failure.Parameters, failure.CreateParameter, outcome, leaseToken, now, dialect);
                    batch.BatchCommands.Add(failure);
                }

                var command = batch.CreateBatchCommand();
                command.CommandText = Sql;
                Bind(command.Parameters, command.CreateParameter, outcome, leaseToken, now, dialect);
                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            foreach (var outcome in outcomes)
            {
                if (outcome.ChannelFailure is not null)
                {
                    await using var failure = connection.CreateCommand();
                    failure.Transaction = transaction;
                    failure.CommandText = FailureSql;
                    BindFailure(failure.Parameters, failure.CreateParameter, outcome, leaseToken, now, dialect);
                    await failure.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = Sql;
                Bind(command.Parameters, command.CreateParameter, outcome, leaseToken, now, dialect);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Returns rows whose lease expired (their dispatcher died or hung) to <c>pending</c>. Their message may
    /// have been accepted by WeChat before the dispatcher died: that in-flight batch is the at-most-once window.</summary>
    public Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE reminder_outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE status = 'leased' AND lease_until < @now", new { now }, cancellationToken);

    /// <summary>Uses one subscribe consent; false when none is left (the resident must accept again).</summary>
    public Task<bool> UseConsentAsync(string appId, string openId, string templateId, DateTimeOffset now, CancellationToken cancellationToken) =>
        channels.UseConsentAsync(appId, openId, templateId, now, cancellationToken);

    /// <summary>The <c>status</c> column value.</summary>
    public static string Name(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => "pending",
        OutboxStatus.Sent => "sent",
        OutboxStatus.Deferred => "deferred",
        OutboxStatus.Failed => "failed",
        _ => "cancelled",
    };

    private static void Bind(DbParameterCollection parameters, Func<DbParameter> create, OutboxOutcome outcome, string token, DateTimeOffset now, ISqlDialect dialect)
    {
        void Add(string name, object? value)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            parameters.Add(parameter);
        }

        Add("@status", Name(outcome.Status));
        Add("@sendAfter", outcome.SendAfter is { } after ? dialect.Instant(after) : null);
        Add("@code", outcome.ErrorCode);
        Add("@error", outcome.Error);
        Add("@msgid", outcome.MsgId);
        Add("@now", dialect.Instant(now));
        Add("@id", outcome.Id);
        Add("@token", token);
        // Typed, so PostgreSQL accepts a null in COALESCE.
        foreach (var (name, value) in new[] { ("@toApp", outcome.Reroute?.AppId), ("@toOpen", outcome.Reroute?.OpenId), ("@toChannel", outcome.Reroute?.Channel) })
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = (object?)value ?? DBNull.Value;
            parameter.DbType = System.Data.DbType.String;
            parameters.Add(parameter);
        }
    }

    private static void BindFailure(DbParameterCollection parameters, Func<DbParameter> create, OutboxOutcome outcome, string token, DateTimeOffset now, ISqlDialect dialect)
    {
        void Add(string name, object? value, System.Data.DbType? type = null)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            if (type is { } t)
            {
                parameter.DbType = t;
            }

            parameters.Add(parameter);
        }

        var failure = outcome.ChannelFailure!;
        Add("@id", outcome.Id);
        Add("@token", token);
        Add("@failApp", failure.AppId);
        Add("@failChannel", failure.Channel);
        Add("@failOpen", failure.OpenId);
        Add("@failCode", failure.ErrorCode);
        Add("@failError", failure.Error, System.Data.DbType.String);
        Add("@now", dialect.Instant(now));
    }

    /// <summary>The next channel of the row's person that has not refused this row yet, in the shared order of
    /// <see cref="MessageChannels"/>: the mini-program with a consent left, then the official account (a subscribe
    /// message with a consent, else a template message) — the binding itself when made there, else the follower
    /// sharing its unionid. Null when every channel allowed has been tried.</summary>
    public async Task<MessageTarget?> NextChannelAsync(OutboxItem item, MessageRoutes routes, string? miniTemplate, string? officialConsentTemplate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(routes);
        if (item.ResidentId is not { } residentId)
        {
            return null;
        }

        var tried = new HashSet<(string, string)> { (item.AppId, item.Channel) };
        await using (var connection = await database.DataSource.OpenConnectionAsync(cancellationToken))
        foreach (var failed in await connection.QueryAsync<(string AppId, string Channel)>(new CommandDefinition(
            "SELECT app_id, channel FROM reminder_channel_failures WHERE outbox_id = @Id", new { item.Id }, cancellationToken: cancellationToken)))
        {
            tried.Add(failed);
        }

        var candidates = await channels.ForResidentAsync(residentId, routes, new MessageTemplates(miniTemplate, officialConsentTemplate, OfficialTemplate: true), cancellationToken);
        return candidates.FirstOrDefault(c => !tried.Contains((c.AppId, c.Channel)));
    }

    /// <summary>Rows per kind and status, of the given policies (a county's years) or of all when <paramref name="policyIds"/> is null.</summary>
    public async Task<IReadOnlyList<ReminderCount>> CountAsync(IReadOnlyList<string>? policyIds, CancellationToken cancellationToken) =>
        await database.QueryAsync<ReminderCount>(
            "SELECT kind, status, COUNT(*) AS count FROM reminder_outbox" + (policyIds is null ? "" : " WHERE policy_id " + dialect.AnyOf("@policyIds")) + " GROUP BY kind, status ORDER BY kind, status",
            new { policyIds = policyIds?.ToArray() },
            cancellationToken);

    /// <summary>Puts failed rows (of the given policies (a county's years), or of all when <paramref name="policyIds"/> is null; only
    /// <paramref name="ids"/> when any are given) back to pending with a fresh count of attempts; returns how many.</summary>
    public Task<int> RetryFailedAsync(IReadOnlyList<string>? policyIds, IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return database.ExecuteAsync(
            "UPDATE reminder_outbox SET status = 'pending', attempts = 0, send_after = @now, last_error = NULL, last_error_code = NULL WHERE status = 'failed'"
            + (policyIds is null ? "" : " AND policy_id " + dialect.AnyOf("@policyIds")) + (ids.Count == 0 ? "" : " AND id " + dialect.AnyOf("@ids")),
            new { now, policyIds = policyIds?.ToArray(), ids = ids.ToArray() },
            cancellationToken);
    }

    /// <summary>Failed rows, of the given policies (a county's years) or of all when <paramref name="policyIds"/> is null, oldest first.</summary>
    public async Task<IReadOnlyList<FailedReminder>> FailedAsync(IReadOnlyList<string>? policyIds, CancellationToken cancellationToken) =>
        await database.QueryAsync<FailedReminder>(
            "SELECT id, policy_id, rule, kind, resident_id, channel, attempts, last_error_code, last_error, created_at FROM reminder_outbox WHERE status = 'failed'"
            + (policyIds is null ? "" : " AND policy_id " + dialect.AnyOf("@policyIds")) + " ORDER BY id",
            new { policyIds = policyIds?.ToArray() },
            cancellationToken);

    /// <summary>A broadcast's rows per status.</summary>
    public async Task<IReadOnlyDictionary<string, long>> BroadcastTotalsAsync(long broadcastId, CancellationToken cancellationToken) =>
        (await database.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM reminder_outbox WHERE broadcast_id = @broadcastId GROUP BY status", new { broadcastId }, cancellationToken))
            .ToDictionary(t => t.Status, t => t.Count, StringComparer.Ordinal);

    /// <summary>The first <paramref name="limit"/> per-resident messages of a broadcast, in the order they were queued.</summary>
    public async Task<IReadOnlyList<BroadcastMessage>> BroadcastMessagesAsync(long broadcastId, int limit, CancellationToken cancellationToken) =>
        await database.QueryAsync<BroadcastMessage>(
            "SELECT id, resident_id, status, last_error_code, msgid AS msg_id, sent_at FROM reminder_outbox WHERE broadcast_id = @broadcastId ORDER BY id LIMIT @limit",
            new { broadcastId, limit },
            cancellationToken);

    /// <summary>Rows waiting, deferred and leased (the outbox-depth gauge; the partial indexes on status keep it cheap).</summary>
    public async Task<long[]> DepthAsync(CancellationToken cancellationToken)
    {
        var (pending, deferred, leased) = await database.QuerySingleOrDefaultAsync<(long, long, long)>("SELECT "
            + "(SELECT count(*) FROM reminder_outbox WHERE status = 'pending'), "
            + "(SELECT count(*) FROM reminder_outbox WHERE status = 'deferred'), "
            + "(SELECT count(*) FROM reminder_outbox WHERE status = 'leased')", null, cancellationToken);
        return [pending, deferred, leased];
    }

    /// <summary>Cancels, inside the caller's transaction, the waiting rows that ask for payment of the residents paid
    /// for <paramref name="benefitYear"/> in payment batch <paramref name="batchId"/>.</summary>
    public static async Task CancelPaidAsync(DbConnection connection, DbTransaction transaction, string policyId, string batchId, int benefitYear, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(new CommandDefinition($"""
            UPDATE reminder_outbox SET status = 'cancelled', last_error = 'paid'
            WHERE status IN ('pending', 'deferred') AND policy_id = @policyId AND kind IN ({ReminderKinds.OwingSqlList})
              AND resident_id IN (SELECT resident_id FROM payment_events WHERE batch_id = @batchId AND benefit_year = @benefitYear)
            """,
            new { policyId, batchId, benefitYear },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Cancels, inside the caller's transaction, a follower's waiting rows of a kind they opted out of.</summary>
    public static async Task CancelOptedOutAsync(DbConnection connection, DbTransaction transaction, string appId, string openId, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reminder_outbox SET status = 'cancelled', last_error = 'opted out' WHERE app_id = @appId AND open_id = @openId AND kind = @kind AND status IN ('pending', 'deferred')",
            new { appId, openId, kind },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Manual reminders a staff member queued on the business day <paramref name="today"/>.</summary>
    public Task<int> ManualCountAsync(string requestedBy, DateOnly today, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM reminder_outbox WHERE requested_by = @requestedBy AND kind = 'manual' AND rule = 'manual' AND dedupe_key LIKE @day",
            new { requestedBy, day = "%:" + today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + ":%" },
            cancellationToken);

    /// <summary>Whether any row of the broadcast has left the queue (leased, sent, failed), inside the caller's transaction.</summary>
    public static async Task<bool> BroadcastStartedAsync(DbConnection connection, DbTransaction transaction, long broadcastId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM reminder_outbox WHERE broadcast_id = @broadcastId AND status NOT IN ('pending', 'deferred', 'cancelled')",
            new { broadcastId },
            transaction,
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Cancels the broadcast's waiting rows inside the caller's transaction.</summary>
    public static async Task CancelBroadcastAsync(DbConnection connection, DbTransaction transaction, long broadcastId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE reminder_outbox SET status = 'cancelled', last_error = 'broadcast cancelled' WHERE broadcast_id = @broadcastId AND status IN ('pending', 'deferred')",
            new { broadcastId },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>A claimed row as <see cref="ItemColumns"/> reads it, in column order.</summary>
    private sealed record ClaimedRow(
        long Id, string PolicyId, string Rule, string Kind, long? ResidentId, string AppId, string OpenId, string Channel, string Payload, int Attempts,
        DateOnly? BirthDate, string? CategoryCodes, int? PaidYear, DateOnly? PaidOn);

}
