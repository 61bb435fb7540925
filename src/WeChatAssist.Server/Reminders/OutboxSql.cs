using System.Data.Common;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Reminders;

/// <summary>What one set-based insert into the outbox is: which rule, for which residents, how it is sent.</summary>
/// <param name="PolicyId">The residents' policy.</param>
/// <param name="Rule">Rule id (part of the de-duplication key).</param>
/// <param name="Kind">One of <see cref="ReminderKinds"/>.</param>
/// <param name="Occurrence">Which occurrence of the rule (usually the date it leads up to); part of the key.</param>
/// <param name="Channel"><c>template</c> or <c>subscribe</c>.</param>
/// <param name="Payload">JSON the dispatcher renders the message from.</param>
/// <param name="BenefitYear">The policy's benefit year: owing kinds go only to residents not paid for it.</param>
/// <param name="ResidentFilter">Adds its parameters to the command and returns an extra SQL condition on <c>r</c> (residents).</param>
internal sealed record OutboxInsert(string PolicyId, string Rule, string Kind, string Occurrence, string Channel, string Payload, int BenefitYear, Func<DbCommand, string> ResidentFilter)
{
    /// <summary>Staff user name for manual reminders.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The subscribe template whose consent the audience must still hold (subscribe channel).</summary>
    public string? ConsentTemplateId { get; init; }

    /// <summary>The subscribe template whose consent the audience must NOT hold (their template-message twin).</summary>
    public string? WithoutConsentTemplateId { get; init; }

    /// <summary>The broadcast the rows belong to.</summary>
    public long? BroadcastId { get; init; }
}

/// <summary>The one set-based audience insert every producer of outbox rows uses: bound WeChat user (the first
/// binding of the resident), owing when the kind asks for payment, not opted out of the kind, consent for
/// subscribe messages; send time spread over <c>[start, start + spread]</c>; duplicates skipped by the key.</summary>
internal static class OutboxSql
{
    /// <summary>Join target and condition giving <c>b</c>, the first binding of resident <c>r</c> (the WeChat user
    /// messages go to). An anti-join rather than a grouped subquery, so the database reads only the bindings of the
    /// residents the query selects: a policy without residents costs nothing, and 1M residents avoid a 1M-group
    /// aggregate that spills to disk.</summary>
    public const string FirstBinding = "resident_bindings b ON b.resident_id = r.id AND NOT EXISTS (SELECT 1 FROM resident_bindings earlier WHERE earlier.resident_id = r.id AND earlier.id < b.id)";

    public static async Task<int> InsertAsync(DbConnection connection, DbTransaction? transaction, DatabaseProvider provider, OutboxInsert insert, DateTimeOffset start, TimeSpan spread, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(insert);
        var postgres = provider == DatabaseProvider.Postgres;
        var owing = ReminderKinds.IsOwing(insert.Kind) ? "AND (r.paid_year IS NULL OR r.paid_year < @year)" : "";
        var consent = insert.ConsentTemplateId is null ? ""
            : "AND EXISTS (SELECT 1 FROM subscribe_consents c WHERE c.app_id = b.app_id AND c.open_id = b.open_id AND c.template_id = @consentTemplate AND c.remaining > 0)";
        if (insert.WithoutConsentTemplateId is not null)
        {
            consent = "AND NOT EXISTS (SELECT 1 FROM subscribe_consents c WHERE c.app_id = b.app_id AND c.open_id = b.open_id AND c.template_id = @consentTemplate AND c.remaining > 0)";
        }

        var sendAfter = postgres ? "@start + (random() * @spread) * interval '1 millisecond'" : "@start + (abs(random()) % (@spread + 1))";
        var payload = postgres ? "CAST(@payload AS jsonb)" : "@payload";
        var optedOut = postgres ? "p.opted_out" : "p.opted_out = 1";
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = 600;
        command.CommandText = $"""
            INSERT INTO reminder_outbox (dedupe_key, policy_id, rule, kind, resident_id, app_id, open_id, channel, payload, send_after, status, attempts, created_at, requested_by, broadcast_id)
            SELECT @policy || ':' || @rule || ':' || CAST(r.id AS text) || ':' || @occurrence || ':' || @channel,
                   @policy, @rule, @kind, r.id, b.app_id, b.open_id, @channel, {payload}, {sendAfter}, 'pending', 0, @now, CAST(@requestedBy AS text), CAST(@broadcast AS bigint)
            FROM residents r
            JOIN {FirstBinding}
            WHERE r.policy_id = @policy {owing} AND ({insert.ResidentFilter(command)})
              AND NOT EXISTS (SELECT 1 FROM reminder_preferences p WHERE p.app_id = b.app_id AND p.open_id = b.open_id AND p.kind = @kind AND {optedOut})
              {consent}
            ON CONFLICT (dedupe_key) DO NOTHING
            """;
        command.AddParameter("@policy", insert.PolicyId);
        command.AddParameter("@rule", insert.Rule);
        command.AddParameter("@kind", insert.Kind);
        command.AddParameter("@occurrence", insert.Occurrence);
        command.AddParameter("@channel", insert.Channel);
        command.AddParameter("@payload", insert.Payload);
        command.AddParameter("@year", insert.BenefitYear);
        command.AddParameter("@requestedBy", insert.RequestedBy);
        command.AddParameter("@broadcast", insert.BroadcastId);
        command.AddInstant(provider, "@start", start);
        command.AddParameter("@spread", postgres ? spread.TotalMilliseconds : (long)spread.TotalMilliseconds);
        command.AddInstant(provider, "@now", now);
        if ((insert.ConsentTemplateId ?? insert.WithoutConsentTemplateId) is { } consentTemplate)
        {
            command.AddParameter("@consentTemplate", consentTemplate);
        }
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds <c>@{prefix}0…</c> parameters and returns the SQL list <c>(@p0, @p1, …)</c>; an empty list
    /// yields <c>(NULL)</c>, which matches nothing.</summary>
    public static string InList<T>(DbCommand command, string prefix, IReadOnlyList<T> values, Func<T, object?> convert)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return "(NULL)";
        }

        var names = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            names[i] = $"@{prefix}{i}";
            command.AddParameter(names[i], convert(values[i]));
        }

        return "(" + string.Join(", ", names) + ")";
    }
}
