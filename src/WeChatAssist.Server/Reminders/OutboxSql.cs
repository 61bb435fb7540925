using System.Data.Common;
using Dapper;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.WeChat;

namespace WeChatAssist.Server.Reminders;

/// <summary>What one set-based insert into the outbox is: which rule, for which residents, how it is sent.</summary>
/// <param name="PolicyId">The policy the rows are rendered from (their <c>policy_id</c>); its residents get them unless
/// <see cref="OutboxInsert.Audience"/> says whose.</param>
/// <param name="Rule">Rule id (part of the de-duplication key).</param>
/// <param name="Kind">One of <see cref="ReminderKinds"/>.</param>
/// <param name="Occurrence">Which occurrence of the rule (usually the date it leads up to); part of the key.</param>
/// <param name="Channel">The message family in the key: <c>template</c>, or <c>subscribe</c> for a kind that may go as a
/// subscribe message. The row's own channel is chosen per person (see <see cref="OutboxSql"/>); the key does not
/// depend on it, so a person gets one row per occurrence whichever channel carries it.</param>
/// <param name="Payload">JSON the dispatcher renders the message from.</param>
/// <param name="BenefitYear">The policy's benefit year: owing kinds go only to residents not paid for it.</param>
/// <param name="ResidentFilter">Adds its parameters and returns an extra SQL condition on <c>r</c> (the registry's
/// <see cref="ResidentSql.Roster"/>).</param>
internal sealed record OutboxInsert(string PolicyId, string Rule, string Kind, string Occurrence, string Channel, string Payload, int BenefitYear, Func<DynamicParameters, string> ResidentFilter)
{
    /// <summary>Staff user name for manual reminders.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The official-account subscribe template whose consent makes the row a subscribe message there.</summary>
    public string? ConsentTemplateId { get; init; }

    /// <summary>The mini-program subscribe template whose consent (in the mini-program) sends the row there.</summary>
    public string? MiniProgramTemplateId { get; init; }

    /// <summary>Which apps are mini-programs and which official account serves the policy; null: the binding's own
    /// app only (as before the mini-program had its own channel).</summary>
    public MessageRoutes? Routes { get; init; }

    /// <summary>The broadcast the rows belong to.</summary>
    public long? BroadcastId { get; init; }

    /// <summary>The policy ids residents must be registered under; null: <see cref="PolicyId"/> alone. A later
    /// benefit year that has taken over its county (<see cref="ReminderAudiences"/>) serves the earlier years' residents.</summary>
    public IReadOnlyList<string>? Audience { get; init; }
}

/// <summary>The one set-based audience insert every producer of outbox rows uses: bound WeChat user (the first
/// binding of the resident), owing when the kind asks for payment, not opted out of the kind; send time spread over
/// <c>[start, start + spread]</c>; duplicates skipped by the key. The channel is chosen per person: the mini-program's
/// <c>subscribeMessage.send</c> when the binding is a mini-program user who accepted the kind's mini-program template;
/// otherwise the official account — the binding itself when it was made there, or the follower with the binding's
/// unionid — as a subscribe message with a consent there, else a template message. A resident reachable by neither
/// is not queued. This is the first choice of <see cref="MessageChannels"/>, made for a whole county in one statement;
/// a row refused on its channel moves on through <see cref="MessageChannels"/> one person at a time. The residents
/// come from the registry's published <see cref="ResidentSql.Roster"/>, which the database folds into this statement.</summary>
internal static class OutboxSql
{
    /// <summary>Join target and condition giving <c>b</c>, the first binding of roster resident <c>r</c> (the WeChat user
    /// messages go to). An anti-join rather than a grouped subquery, so the database reads only the bindings of the
    /// residents the query selects: a policy without residents costs nothing, and 1M residents avoid a 1M-group
    /// aggregate that spills to disk.</summary>
    public const string FirstBinding = "resident_bindings b ON b.resident_id = r.id AND NOT EXISTS (SELECT 1 FROM resident_bindings earlier WHERE earlier.resident_id = r.id AND earlier.id < b.id)";

    public static async Task<int> InsertAsync(DbConnection connection, DbTransaction? transaction, ISqlDialect dialect, OutboxInsert insert, DateTimeOffset start, TimeSpan spread, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(insert);
        var owing = ReminderKinds.IsOwing(insert.Kind) ? "AND " + ResidentSql.Unpaid("r", "@year") : "";
        var parameters = new DynamicParameters(new
        {
            policy = insert.PolicyId,
            rule = insert.Rule,
            kind = insert.Kind,
            occurrence = insert.Occurrence,
            channel = insert.Channel,
            payload = insert.Payload,
            year = insert.BenefitYear,
            requestedBy = insert.RequestedBy,
            broadcast = insert.BroadcastId,
            start,
            spread = (long)spread.TotalMilliseconds,
            now,
            official = insert.Routes?.OfficialAppId,
            consentTemplate = insert.ConsentTemplateId,
            miniTemplate = insert.MiniProgramTemplateId,
            mini = insert.Routes?.MiniProgramAppIds.ToArray() ?? [],
            audience = insert.Audience?.ToArray() ?? [insert.PolicyId],
        });

        // Where the binding is a mini-program user, the official account reaches them only as the follower sharing
        // the binding's unionid; a binding made on the official account itself is reached there directly.
        var routes = insert.Routes;
        var onMini = routes is null || routes.MiniProgramAppIds.Count == 0 ? "1 = 0" : "b.app_id " + dialect.AnyOf("@mini");
        var follower = routes?.OfficialAppId is null ? "1 = 0" : $"b.union_id IS NOT NULL AND f.union_id = b.union_id AND f.app_id = @official AND {dialect.IsTrue("f.subscribed")}";
        var officialApp = $"CASE WHEN {onMini} THEN f.app_id ELSE b.app_id END";
        var officialOpen = $"CASE WHEN {onMini} THEN f.open_id ELSE b.open_id END";
        var miniConsent = insert.MiniProgramTemplateId is null ? "1 = 0"
            : $"({onMini} AND EXISTS (SELECT 1 FROM subscribe_consents mc WHERE mc.app_id = b.app_id AND mc.open_id = b.open_id AND mc.template_id = @miniTemplate AND mc.remaining > 0))";
        var officialConsent = insert.ConsentTemplateId is null ? "1 = 0"
            : $"EXISTS (SELECT 1 FROM subscribe_consents oc WHERE oc.app_id = {officialApp} AND oc.open_id = {officialOpen} AND oc.template_id = @consentTemplate AND oc.remaining > 0)";
        var sql = $"""
            INSERT INTO reminder_outbox (dedupe_key, policy_id, rule, kind, resident_id, app_id, open_id, channel, payload, send_after, status, attempts, created_at, requested_by, broadcast_id)
            SELECT @policy || ':' || @rule || ':' || CAST(t.resident_id AS text) || ':' || @occurrence || ':' || @channel,
                   @policy, @rule, @kind, t.resident_id, t.app_id, t.open_id, t.channel, {dialect.Json("@payload")}, {dialect.AddMilliseconds("@start", dialect.RandomMilliseconds("@spread"))},
                   'pending', 0, @now, CAST(@requestedBy AS text), CAST(@broadcast AS bigint)
            FROM (
              SELECT r.id AS resident_id, b.app_id AS binding_app, b.open_id AS binding_open,
                     CASE WHEN {miniConsent} THEN b.app_id ELSE {officialApp} END AS app_id,
                     CASE WHEN {miniConsent} THEN b.open_id ELSE {officialOpen} END AS open_id,
                     CASE WHEN {miniConsent} OR {officialConsent} THEN 'subscribe' ELSE 'template' END AS channel
              FROM {ResidentSql.Roster} r
              JOIN {FirstBinding}
              LEFT JOIN wechat_followers f ON {follower}
              WHERE r.policy_id {dialect.AnyOf("@audience")} {owing} AND ({insert.ResidentFilter(parameters)})
            ) t
            WHERE t.app_id IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM reminder_preferences p WHERE p.kind = @kind AND {dialect.IsTrue("p.opted_out")}
                              AND ((p.app_id = t.app_id AND p.open_id = t.open_id) OR (p.app_id = t.binding_app AND p.open_id = t.binding_open)))
            ON CONFLICT (dedupe_key) DO NOTHING
            """;
        return await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, commandTimeout: 600, cancellationToken: cancellationToken));
    }

    /// <summary>Adds list parameter <c>@{name}</c> and returns "is one of its values" for <paramref name="column"/>;
    /// an empty list matches nothing.</summary>
    public static string AnyOf<T>(ISqlDialect dialect, DynamicParameters parameters, string column, string name, IReadOnlyCollection<T> values)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return "1 = 0";
        }

        parameters.Add(name, values.ToArray());
        return $"{column} {dialect.AnyOf("@" + name)}";
    }
}
