using System.Data.Common;
using System.Globalization;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>How a tag broadcast's followers were split: in the mass send, a per-resident message instead (they had
/// their four mass sends this month), or left out.</summary>
internal sealed record FollowerRoutes(int Mass, int Outbox, int Skipped)
{
    /// <summary>Every follower of the tag.</summary>
    public int Total => Mass + Outbox + Skipped;
}

/// <summary>Which followers each tag broadcast reached (<c>broadcast_recipients</c>) and how many mass sends each
/// follower got per China-time calendar month (<c>broadcast_mass_quota</c>). WeChat delivers at most
/// <see cref="PerFollowerPerMonth"/> mass sends a month to a service account's follower; later ones silently do not
/// arrive, so a follower at the limit is routed to a per-resident template message instead, or left out and
/// counted.</summary>
internal sealed class BroadcastFollowers(DatabaseTarget database)
{
    /// <summary>Mass sends WeChat delivers to one follower of a service account per month.</summary>
    public const int PerFollowerPerMonth = 4;

    /// <summary>Splits the tag's members for this broadcast and counts the mass send against the month of every
    /// follower in it, in one transaction. Nodes and the endpoint serialise on the app (an advisory lock on
    /// PostgreSQL, SQLite's write lock), so two broadcasts cannot both take a follower's fourth send. Idempotent:
    /// a broadcast already split (its send is being retried) keeps its split and counts nothing twice. When the
    /// broadcast does not fit a template message (<paramref name="perResidentFits"/> false), followers at the limit
    /// are left out.</summary>
    public async Task<FollowerRoutes> SplitAsync(long broadcastId, string appId, int tagId, string month, bool perResidentFits, CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (provider == DatabaseProvider.Postgres)
        {
            await using var lockApp = connection.Command(transaction, "SELECT pg_advisory_xact_lock(hashtext('broadcast-mass:' || @app))");
            lockApp.AddParameter("@app", appId);
            await lockApp.ExecuteNonQueryAsync(cancellationToken);
        }

        var routes = await RoutesAsync(connection, transaction, broadcastId, cancellationToken);
        if (routes.Total > 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return routes;
        }

        var optedOut = provider == DatabaseProvider.Postgres ? "p.opted_out" : "p.opted_out = 1";
        await using (var split = connection.Command(transaction, $"""
            INSERT INTO broadcast_recipients (broadcast_id, app_id, open_id, resident_id, month, route)
            SELECT @id, m.app_id, m.open_id, m.resident_id, @month,
                   CASE WHEN COALESCE(q.used, 0) < @limit THEN 'mass'
                        WHEN @fits = 1 AND m.resident_id IS NOT NULL
                             AND NOT EXISTS (SELECT 1 FROM reminder_preferences p WHERE p.app_id = m.app_id AND p.open_id = m.open_id AND p.kind = 'broadcast' AND {optedOut})
                        THEN 'outbox'
                        ELSE 'skipped' END
            FROM broadcast_tag_members m
            LEFT JOIN broadcast_mass_quota q ON q.app_id = m.app_id AND q.open_id = m.open_id AND q.month = @month
            WHERE m.app_id = @app AND m.tag_id = @tag
            """))
        {
            split.AddParameter("@id", broadcastId);
            split.AddParameter("@month", month);
            split.AddParameter("@limit", PerFollowerPerMonth);
            split.AddParameter("@fits", perResidentFits ? 1 : 0);
            split.AddParameter("@app", appId);
            split.AddParameter("@tag", tagId);
            await split.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var count = connection.Command(transaction, """
            INSERT INTO broadcast_mass_quota (app_id, open_id, month, used)
            SELECT app_id, open_id, month, 1 FROM broadcast_recipients WHERE broadcast_id = @id AND route = 'mass'
            ON CONFLICT (app_id, open_id, month) DO UPDATE SET used = broadcast_mass_quota.used + 1
            """))
        {
            count.AddParameter("@id", broadcastId);
            await count.ExecuteNonQueryAsync(cancellationToken);
        }

        routes = await RoutesAsync(connection, transaction, broadcastId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return routes;
    }

    /// <summary>Undoes a split whose mass send did not happen (refused, or the broadcast cancelled): each follower in
    /// it gets their month's send back (never below zero) and the broadcast has no recipients left.</summary>
    public static async Task ReleaseAsync(DbConnection connection, DbTransaction transaction, long broadcastId, CancellationToken cancellationToken)
    {
        await using (var giveBack = connection.Command(transaction, """
            UPDATE broadcast_mass_quota SET used = CASE WHEN used > 1 THEN used - 1 ELSE 0 END
            WHERE EXISTS (SELECT 1 FROM broadcast_recipients x
                          WHERE x.broadcast_id = @id AND x.route = 'mass'
                            AND x.app_id = broadcast_mass_quota.app_id AND x.open_id = broadcast_mass_quota.open_id AND x.month = broadcast_mass_quota.month)
            """))
        {
            giveBack.AddParameter("@id", broadcastId);
            await giveBack.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var forget = connection.Command(transaction, "DELETE FROM broadcast_recipients WHERE broadcast_id = @id");
        forget.AddParameter("@id", broadcastId);
        await forget.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Queues a per-resident template message in the outbox for every follower routed there, due at
    /// <paramref name="sendAfter"/>; the outbox's de-duplication key makes it safe to repeat.</summary>
    public static async Task<int> QueueOutboxAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, long broadcastId, string policyId, string payload, DateTimeOffset sendAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = broadcastId.ToString(CultureInfo.InvariantCulture);
        await using var command = connection.Command(transaction, $"""
            INSERT INTO reminder_outbox (dedupe_key, policy_id, rule, kind, resident_id, app_id, open_id, channel, payload, send_after, status, attempts, created_at, broadcast_id)
            SELECT @policy || ':' || @rule || ':' || CAST(x.resident_id AS text) || ':' || @occurrence || ':template',
                   @policy, @rule, 'broadcast', x.resident_id, x.app_id, x.open_id, 'template', {(provider == DatabaseProvider.Postgres ? "CAST(@payload AS jsonb)" : "@payload")},
                   @sendAfter, 'pending', 0, @now, @broadcast
            FROM broadcast_recipients x
            WHERE x.broadcast_id = @broadcast AND x.route = 'outbox'
            ON CONFLICT (dedupe_key) DO NOTHING
            """);
        command.AddParameter("@policy", policyId);
        command.AddParameter("@rule", "broadcast-" + id);
        command.AddParameter("@occurrence", id);
        command.AddParameter("@payload", payload);
        command.AddInstant(provider, "@sendAfter", sendAfter);
        command.AddInstant(provider, "@now", now);
        command.AddParameter("@broadcast", broadcastId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The broadcast's followers per route (all zero for per-resident audiences).</summary>
    public async Task<FollowerRoutes> RoutesAsync(long broadcastId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await RoutesAsync(connection, null, broadcastId, cancellationToken);
    }

    /// <summary>Mass sends counted for a follower in a month (0 when none).</summary>
    public async Task<int> UsedAsync(string appId, string openId, string month, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("SELECT used FROM broadcast_mass_quota WHERE app_id = @app AND open_id = @open AND month = @month");
        command.AddParameter("@app", appId);
        command.AddParameter("@open", openId);
        command.AddParameter("@month", month);
        return await command.ExecuteScalarAsync(cancellationToken) is { } used and not DBNull ? Convert.ToInt32(used, CultureInfo.InvariantCulture) : 0;
    }

    private static async Task<FollowerRoutes> RoutesAsync(DbConnection connection, DbTransaction? transaction, long broadcastId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT route, COUNT(*) FROM broadcast_recipients WHERE broadcast_id = @id GROUP BY route");
        command.AddParameter("@id", broadcastId);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        return new FollowerRoutes(counts.GetValueOrDefault("mass"), counts.GetValueOrDefault("outbox"), counts.GetValueOrDefault("skipped"));
    }
}
