using System.Data.Common;
using WeChatAssist.Server.Data;

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
    public OutboxTarget? Reroute { get; init; }
}

/// <summary>A failed row as the failed-rows export lists it.</summary>
internal sealed record FailedReminder(long Id, string PolicyId, string Rule, string Kind, long? ResidentId, string Channel, int Attempts, int? LastErrorCode, string? LastError, DateTimeOffset CreatedAt);

/// <summary>Counts of one kind and status.</summary>
internal sealed record ReminderCount(string Kind, string Status, long Count);

/// <summary>One per-resident message of a broadcast.</summary>
internal sealed record BroadcastMessage(long Id, long? ResidentId, string Status, int? LastErrorCode, long? MsgId, DateTimeOffset? SentAt);

/// <summary>An app, OpenID and channel a row can be sent through.</summary>
internal sealed record OutboxTarget(string AppId, string OpenId, string Channel);

/// <summary>How one channel refused a row.</summary>
internal sealed record OutboxChannelFailure(string AppId, string OpenId, string Channel, int ErrorCode, string? Error);

/// <summary>The outbox's claim, completion and lease sweep (the shared daily budget is <see cref="SendBudgets"/>). Claims use <c>FOR UPDATE SKIP
/// LOCKED</c> on PostgreSQL so nodes never claim the same row; SQLite (one node) claims in an immediate
/// transaction. A claim stamps its rows with a lease token and expiry; completion only touches rows still holding
/// that token, so a row a sweeper returned and another node re-claimed is not overwritten.</summary>
internal sealed class ReminderOutbox(DatabaseTarget database)
{
    private const string ItemColumns = """
        o.id, o.policy_id, o.rule, o.kind, o.resident_id, o.app_id, o.open_id, o.channel, CAST(o.payload AS text), o.attempts,
        r.birth_date, r.category_codes, r.paid_year, r.paid_on
        """;

    /// <summary>Leases up to <paramref name="limit"/> due rows to <paramref name="leaseToken"/> and reads them with
    /// their residents' facts. The condition matches the partial index <c>reminder_outbox_claim</c> exactly, so a
    /// claim stays an index range scan however many rows the outbox holds.</summary>
    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string leaseToken, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var ids = new List<long>();
        await using (var claim = connection.CreateCommand())
        {
            claim.Transaction = transaction;
            var skipLocked = provider == DatabaseProvider.Postgres ? "FOR UPDATE SKIP LOCKED" : "";
            claim.CommandText = $"""
                UPDATE reminder_outbox SET status = 'leased', lease_owner = @token, lease_until = @until, attempts = attempts + 1
                WHERE id IN (SELECT id FROM reminder_outbox
                             WHERE status IN ('pending', 'deferred') AND send_after <= @now
                             ORDER BY send_after LIMIT @limit {skipLocked})
                """;
            claim.AddParameter("@token", leaseToken);
            claim.AddInstant(provider, "@until", leaseUntil);
            claim.AddInstant(provider, "@now", now);
            claim.AddParameter("@limit", limit);
            claim.CommandText += " RETURNING id";
            await using var claimed = await claim.ExecuteReaderAsync(cancellationToken);
            while (await claimed.ReadAsync(cancellationToken))
            {
                ids.Add(claimed.GetInt64(0));
            }
        }

        if (ids.Count == 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return [];
        }

        var items = new List<OutboxItem>();
        await using (var read = connection.CreateCommand())
        {
            // By primary key: the lease token has no index, and a scan of a million-row outbox per claim is what
            // would make dispatch slow down as the table grows.
            read.Transaction = transaction;
            string idList;
            if (provider == DatabaseProvider.Postgres)
            {
                read.AddParameter("@ids", ids.ToArray());
                idList = "= ANY(@ids)";
            }
            else
            {
                idList = "IN " + OutboxSql.InList(read, "id", ids, id => id);
            }

            read.CommandText = $"SELECT {ItemColumns} FROM reminder_outbox o LEFT JOIN residents r ON r.id = o.resident_id WHERE o.id {idList}";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new OutboxItem(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                    Convert.ToInt32(reader.GetValue(9), System.Globalization.CultureInfo.InvariantCulture),
                    reader.GetDate(provider, 10),
                    reader.IsDBNull(11) ? [] : reader.GetString(11).Split(',', StringSplitOptions.RemoveEmptyEntries),
                    reader.IsDBNull(12) ? null : Convert.ToInt32(reader.GetValue(12), System.Globalization.CultureInfo.InvariantCulture),
                    reader.GetDate(provider, 13)));
            }
        }

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

        var provider = database.Provider;
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
                    BindFailure(failure.Parameters, failure.CreateParameter, outcome, leaseToken, now, provider);
                    batch.BatchCommands.Add(failure);
                }

                var command = batch.CreateBatchCommand();
                command.CommandText = Sql;
                Bind(command.Parameters, command.CreateParameter, outcome, leaseToken, now, provider);
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
                    BindFailure(failure.Parameters, failure.CreateParameter, outcome, leaseToken, now, provider);
                    await failure.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = Sql;
                Bind(command.Parameters, command.CreateParameter, outcome, leaseToken, now, provider);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Returns rows whose lease expired (their dispatcher died or hung) to <c>pending</c>. Their message may
    /// have been accepted by WeChat before the dispatcher died: that in-flight batch is the at-most-once window.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "UPDATE reminder_outbox SET status = 'pending', lease_owner = NULL, lease_until = NULL WHERE status = 'leased' AND lease_until < @now");
        command.AddInstant(database.Provider, "@now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Uses one subscribe consent; false when none is left (the resident must accept again).</summary>
    public async Task<bool> UseConsentAsync(string appId, string openId, string templateId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "UPDATE subscribe_consents SET remaining = remaining - 1, updated_at = @now WHERE app_id = @app AND open_id = @open AND template_id = @template AND remaining > 0");
        command.AddParameter("@app", appId);
        command.AddParameter("@open", openId);
        command.AddParameter("@template", templateId);
        command.AddInstant(database.Provider, "@now", now);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    /// <summary>The <c>status</c> column value.</summary>
    public static string Name(OutboxStatus status) => status switch
    {
        OutboxStatus.Pending => "pending",
        OutboxStatus.Sent => "sent",
        OutboxStatus.Deferred => "deferred",
        OutboxStatus.Failed => "failed",
        _ => "cancelled",
    };

    private static void Bind(DbParameterCollection parameters, Func<DbParameter> create, OutboxOutcome outcome, string token, DateTimeOffset now, DatabaseProvider provider)
    {
        void Add(string name, object? value)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            parameters.Add(parameter);
        }

        object Instant(DateTimeOffset instant) => provider == DatabaseProvider.Postgres ? instant.ToUniversalTime() : instant.ToUnixTimeMilliseconds();

        Add("@status", Name(outcome.Status));
        Add("@sendAfter", outcome.SendAfter is { } after ? Instant(after) : null);
        Add("@code", outcome.ErrorCode);
        Add("@error", outcome.Error);
        Add("@msgid", outcome.MsgId);
        Add("@now", Instant(now));
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

    private static void BindFailure(DbParameterCollection parameters, Func<DbParameter> create, OutboxOutcome outcome, string token, DateTimeOffset now, DatabaseProvider provider)
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
        Add("@now", provider == DatabaseProvider.Postgres ? now.ToUniversalTime() : now.ToUnixTimeMilliseconds());
    }

    /// <summary>The next channel of the row's person that has not refused this row yet, in the planner's order: the
    /// mini-program with a consent left, then the official account (a subscribe message with a consent, else a
    /// template message) — the binding itself when made there, else the follower sharing its unionid. Null when
    /// every channel allowed has been tried.</summary>
    public async Task<OutboxTarget?> NextChannelAsync(OutboxItem item, OutboxRoutes routes, string? miniTemplate, string? officialConsentTemplate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(routes);
        if (item.ResidentId is null)
        {
            return null;
        }

        var provider = database.Provider;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var tried = new HashSet<(string, string)> { (item.AppId, item.Channel) };
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT app_id, channel FROM reminder_channel_failures WHERE outbox_id = @id";
            command.AddParameter("@id", item.Id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tried.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        string bindingApp, bindingOpen;
        string? union;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT app_id, open_id, union_id FROM resident_bindings WHERE resident_id = @resident ORDER BY id LIMIT 1";
            command.AddParameter("@resident", item.ResidentId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            (bindingApp, bindingOpen, union) = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        async Task<bool> HasConsentAsync(string app, string open, string template)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM subscribe_consents WHERE app_id = @app AND open_id = @open AND template_id = @template AND remaining > 0";
            command.AddParameter("@app", app);
            command.AddParameter("@open", open);
            command.AddParameter("@template", template);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }

        var candidates = new List<OutboxTarget>();
        var onMini = routes.MiniProgramAppIds.Contains(bindingApp, StringComparer.Ordinal);
        if (onMini && miniTemplate is not null && await HasConsentAsync(bindingApp, bindingOpen, miniTemplate))
        {
            candidates.Add(new OutboxTarget(bindingApp, bindingOpen, "subscribe"));
        }

        (string App, string Open)? official = onMini ? null : (bindingApp, bindingOpen);
        if (onMini && union is not null && routes.OfficialAppId is not null)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT open_id FROM wechat_followers WHERE app_id = @app AND union_id = @union AND subscribed = @yes";
            command.AddParameter("@app", routes.OfficialAppId);
            command.AddParameter("@union", union);
            command.AddParameter("@yes", SqlValues.Flag(provider, true));
            if (await command.ExecuteScalarAsync(cancellationToken) is string open)
            {
                official = (routes.OfficialAppId, open);
            }
        }

        if (official is { } o)
        {
            if (officialConsentTemplate is not null && await HasConsentAsync(o.App, o.Open, officialConsentTemplate))
            {
                candidates.Add(new OutboxTarget(o.App, o.Open, "subscribe"));
            }

            candidates.Add(new OutboxTarget(o.App, o.Open, "template"));
        }

        return candidates.FirstOrDefault(c => !tried.Contains((c.AppId, c.Channel)));
    }

    /// <summary>Rows per kind and status, of one policy or of all when <paramref name="policyId"/> is null.</summary>
    public async Task<IReadOnlyList<ReminderCount>> CountAsync(string? policyId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT kind, status, COUNT(*) FROM reminder_outbox" + (policyId is null ? "" : " WHERE policy_id = @policy") + " GROUP BY kind, status ORDER BY kind, status");
        command.AddParameter("@policy", policyId);
        var counts = new List<ReminderCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new ReminderCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return counts;
    }

    /// <summary>Puts failed rows (of one policy, or of all when <paramref name="policyId"/> is null; only
    /// <paramref name="ids"/> when any are given) back to pending with a fresh count of attempts; returns how many.</summary>
    public async Task<int> RetryFailedAsync(string? policyId, IReadOnlyList<long> ids, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        await using var command = database.DataSource.CreateCommand();
        var only = ids.Count == 0 ? "" : " AND id IN " + OutboxSql.InList(command, "id", ids, id => id);
        command.CommandText = "UPDATE reminder_outbox SET status = 'pending', attempts = 0, send_after = @now, last_error = NULL, last_error_code = NULL WHERE status = 'failed'"
            + (policyId is null ? "" : " AND policy_id = @policy") + only;
        command.AddInstant(database.Provider, "@now", now);
        command.AddParameter("@policy", policyId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Failed rows, of one policy or of all when <paramref name="policyId"/> is null, oldest first.</summary>
    public async Task<IReadOnlyList<FailedReminder>> FailedAsync(string? policyId, CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        await using var command = database.DataSource.CreateCommand(
            "SELECT id, policy_id, rule, kind, resident_id, channel, attempts, last_error_code, last_error, created_at FROM reminder_outbox WHERE status = 'failed'"
            + (policyId is null ? "" : " AND policy_id = @policy") + " ORDER BY id");
        command.AddParameter("@policy", policyId);
        var failed = new List<FailedReminder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            failed.Add(new FailedReminder(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.GetString(5),
                Convert.ToInt32(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(7) ? null : Convert.ToInt32(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetInstant(provider, 9)));
        }

        return failed;
    }

    /// <summary>A broadcast's rows per status.</summary>
    public async Task<IReadOnlyDictionary<string, long>> BroadcastTotalsAsync(long broadcastId, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var count = database.DataSource.CreateCommand("SELECT status, COUNT(*) FROM reminder_outbox WHERE broadcast_id = @id GROUP BY status");
        count.AddParameter("@id", broadcastId);
        await using var reader = await count.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals[reader.GetString(0)] = reader.GetInt64(1);
        }

        return totals;
    }

    /// <summary>The first <paramref name="limit"/> per-resident messages of a broadcast, in the order they were queued.</summary>
    public async Task<IReadOnlyList<BroadcastMessage>> BroadcastMessagesAsync(long broadcastId, int limit, CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        var messages = new List<BroadcastMessage>();
        await using var list = database.DataSource.CreateCommand("SELECT id, resident_id, status, last_error_code, msgid, sent_at FROM reminder_outbox WHERE broadcast_id = @id ORDER BY id LIMIT @limit");
        list.AddParameter("@id", broadcastId);
        list.AddParameter("@limit", limit);
        await using var reader = await list.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(new BroadcastMessage(
                reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInstant(provider, 5)));
        }

        return messages;
    }

}
