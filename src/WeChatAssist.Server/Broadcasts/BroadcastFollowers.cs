using System.Data.Common;
using System.Globalization;
using Dapper;
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
        var dialect = database.Dialect;
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (dialect.TransactionLock is { } transactionLock)
        {
            await connection.ExecuteAsync(new CommandDefinition(transactionLock, new { key = "broadcast-mass:" + appId }, transaction, cancellationToken: cancellationToken));
        }

        var routes = await RoutesAsync(connection, transaction, broadcastId, cancellationToken);
        if (routes.Total > 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return routes;
        }

        await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO broadcast_recipients (broadcast_id, app_id, open_id, resident_id, month, route)
            SELECT @broadcastId, m.app_id, m.open_id, m.resident_id, @month,
                   CASE WHEN COALESCE(q.used, 0) < @limit THEN 'mass'
                        WHEN @fits = 1 AND m.resident_id IS NOT NULL
                             AND NOT EXISTS (SELECT 1 FROM reminder_preferences p WHERE p.app_id = m.app_id AND p.open_id = m.open_id AND p.kind = 'broadcast' AND {dialect.IsTrue("p.opted_out")})
                        THEN 'outbox'
                        ELSE 'skipped' END
            FROM broadcast_tag_members m
            LEFT JOIN broadcast_mass_quota q ON q.app_id = m.app_id AND q.open_id = m.open_id AND q.month = @month
            WHERE m.app_id = @appId AND m.tag_id = @tagId
            """,
            new { broadcastId, month, limit = PerFollowerPerMonth, fits = perResidentFits ? 1 : 0, appId, tagId },
            transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO broadcast_mass_quota (app_id, open_id, month, used)
            SELECT app_id, open_id, month, 1 FROM broadcast_recipients WHERE broadcast_id = @broadcastId AND route = 'mass'
            ON CONFLICT (app_id, open_id, month) DO UPDATE SET used = broadcast_mass_quota.used + 1
            """,
            new { broadcastId },
            transaction,
            cancellationToken: cancellationToken));

        routes = await RoutesAsync(connection, transaction, broadcastId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return routes;
    }

    /// <summary>Undoes a split whose mass send did not happen (refused, or the broadcast cancelled): each follower in
    /// it gets their month's send back (never below zero) and the broadcast has no recipients left.</summary>
    public static async Task ReleaseAsync(DbConnection connection, DbTransaction transaction, long broadcastId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE broadcast_mass_quota SET used = CASE WHEN used > 1 THEN used - 1 ELSE 0 END
            WHERE EXISTS (SELECT 1 FROM broadcast_recipients x
                          WHERE x.broadcast_id = @broadcastId AND x.route = 'mass'
                            AND x.app_id = broadcast_mass_quota.app_id AND x.open_id = broadcast_mass_quota.open_id AND x.month = broadcast_mass_quota.month);
            DELETE FROM broadcast_recipients WHERE broadcast_id = @broadcastId
            """,
            new { broadcastId },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Queues a per-resident template message in the outbox for every follower routed there, due at
    /// <paramref name="sendAfter"/>; the outbox's de-duplication key makes it safe to repeat.</summary>
    public static async Task<int> QueueOutboxAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, long broadcastId, string policyId, string payload, DateTimeOffset sendAfter, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        var id = broadcastId.ToString(CultureInfo.InvariantCulture);
        return await connection.ExecuteAsync(new CommandDefinition($"""
            INSERT INTO reminder_outbox (dedupe_key, policy_id, rule, kind, resident_id, app_id, open_id, channel, payload, send_after, status, attempts, created_at, broadcast_id)
            SELECT @policyId || ':' || @rule || ':' || CAST(x.resident_id AS text) || ':' || @occurrence || ':template',
                   @policyId, @rule, 'broadcast', x.resident_id, x.app_id, x.open_id, 'template', {dialect.Json("@payload")},
                   @sendAfter, 'pending', 0, @now, @broadcastId
            FROM broadcast_recipients x
            WHERE x.broadcast_id = @broadcastId AND x.route = 'outbox'
            ON CONFLICT (dedupe_key) DO NOTHING
            """,
            new { policyId, rule = "broadcast-" + id, occurrence = id, payload, sendAfter, now, broadcastId },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>The broadcast's followers per route (all zero for per-resident audiences).</summary>
    public async Task<FollowerRoutes> RoutesAsync(long broadcastId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        return await RoutesAsync(connection, null, broadcastId, cancellationToken);
    }

    /// <summary>Mass sends counted for a follower in a month (0 when none).</summary>
    public Task<int> UsedAsync(string appId, string openId, string month, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<int>("SELECT COALESCE(MAX(used), 0) FROM broadcast_mass_quota WHERE app_id = @appId AND open_id = @openId AND month = @month", new { appId, openId, month }, cancellationToken);

    private static async Task<FollowerRoutes> RoutesAsync(DbConnection connection, DbTransaction? transaction, long broadcastId, CancellationToken cancellationToken)
    {
        var counts = (await connection.QueryAsync<(string Route, long Count)>(new CommandDefinition(
            "SELECT route, COUNT(*) FROM broadcast_recipients WHERE broadcast_id = @broadcastId GROUP BY route", new { broadcastId }, transaction, cancellationToken: cancellationToken)))
            .ToDictionary(r => r.Route, r => (int)r.Count, StringComparer.Ordinal);
        return new FollowerRoutes(counts.GetValueOrDefault("mass"), counts.GetValueOrDefault("outbox"), counts.GetValueOrDefault("skipped"));
    }
}
