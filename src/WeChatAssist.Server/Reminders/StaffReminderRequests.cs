using System.Globalization;
using Dapper;
using System.Text.Json;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Reminders;

/// <summary>Queues manual reminders for residents a staff member chose, within the staff member's scope (policy,
/// township, village of their account), through the same audience insert as planned reminders: owing, bound,
/// not opted out of <c>manual</c>, once per resident and business day, in the sending hours, under the same
/// budgets. At most <see cref="RemindersOptions.MaxStaffRequestResidents"/> residents per request (more is an
/// <see cref="ArgumentException"/>) and <see cref="RemindersOptions.MaxStaffRemindersPerDay"/> rows per staff member
/// and day (the rest are skipped as <c>dailyLimit</c>).</summary>
internal sealed class StaffReminderRequests(
    DatabaseTarget database, ReminderOutbox outbox, StaffStore staff, PolicyCatalog catalog, RemindersOptions options, SendingHours hours, BusinessClock clock) : IStaffReminderRequests
{
    public async Task<StaffReminderResult> RequestAsync(IReadOnlyCollection<long> residentIds, string requestedBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(residentIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        var ids = residentIds.Distinct().ToList();
        if (ids.Count > options.MaxStaffRequestResidents)
        {
            throw new ArgumentException($"At most {options.MaxStaffRequestResidents} residents per request; got {ids.Count}.", nameof(residentIds));
        }

        var skipped = new Dictionary<string, int>(StringComparer.Ordinal);
        void Skip(string reason, int count = 1)
        {
            if (count > 0)
            {
                skipped[reason] = skipped.GetValueOrDefault(reason) + count;
            }
        }

        var user = await staff.FindAsync(requestedBy, cancellationToken);
        var now = clock.GetUtcNow();
        var today = clock.Today();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var eligible = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        var registered = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (user is null)
        {
            Skip("outOfScope", ids.Count);
            return new StaffReminderResult(0, skipped);
        }

        var found = new HashSet<long>();
        var dialect = database.Dialect;
        var rows = await connection.QueryAsync<CandidateRow>(new CommandDefinition($"""
            SELECT r.id, r.policy_id, r.township, r.village, r.paid_year, b.open_id,
                   (SELECT COUNT(*) FROM reminder_preferences p WHERE p.app_id = b.app_id AND p.open_id = b.open_id AND p.kind = 'manual' AND {dialect.IsTrue("p.opted_out")}) AS opted_out
            FROM {ResidentSql.Roster} r
            LEFT JOIN {OutboxSql.FirstBinding}
            WHERE r.id {dialect.AnyOf("@ids")}
            """,
            new { ids = ids.ToArray() },
            cancellationToken: cancellationToken));
        foreach (var row in rows)
        {
            found.Add(row.Id);
            // The year serving the resident today (a published next year once its collection opened), as the planner.
            var policy = catalog.Current(row.PolicyId, today);
            if (policy is null || !InScope(user, row.PolicyId, row.Township, row.Village))
            {
                Skip("outOfScope");
            }
            else if (row.PaidYear is { } paid && paid >= policy.BenefitYear)
            {
                Skip("paid");
            }
            else if (row.OpenId is null)
            {
                Skip("noWeChatUser");
            }
            else if (row.OptedOut > 0)
            {
                Skip("optedOut");
            }
            else
            {
                (eligible.TryGetValue(policy.Id, out var l) ? l : eligible[policy.Id] = []).Add(row.Id);
                (registered.TryGetValue(policy.Id, out var r) ? r : registered[policy.Id] = new(StringComparer.Ordinal)).Add(row.PolicyId);
            }
        }

        Skip("outOfScope", ids.Count(id => !found.Contains(id)));

        var alreadyToday = await outbox.ManualCountAsync(requestedBy, today, cancellationToken);
        var allowance = Math.Max(0, options.MaxStaffRemindersPerDay - alreadyToday);
        var (start, spread) = hours.Window(now);
        var queued = 0;
        foreach (var (policyId, residents) in eligible)
        {
            var policy = catalog.Get(policyId);
            var take = residents.Take(allowance).ToList();
            Skip("dailyLimit", residents.Count - take.Count);
            if (take.Count == 0)
            {
                continue;
            }

            var payload = JsonSerializer.Serialize(new ReminderPayload { Due = today <= policy.CollectionWindow.To ? policy.CollectionWindow.To : null }, JsonSerializerOptions.Web);
            var insert = new OutboxInsert(policyId, ReminderKinds.Manual, ReminderKinds.Manual, Iso(today), ReminderPlanner.Channel, payload, policy.BenefitYear,
                parameters => OutboxSql.AnyOf(dialect, parameters, "r.id", "pick", take))
            { RequestedBy = requestedBy, Audience = [.. registered[policyId]] };
            var inserted = await OutboxSql.InsertAsync(connection, null, dialect, insert, start, spread, now, cancellationToken);
            queued += inserted;
            allowance -= inserted;
            Skip("alreadyQueued", take.Count - inserted);
        }

        return new StaffReminderResult(queued, skipped);
    }

    private static bool InScope(StaffUser user, string policyId, string township, string village) =>
        (user.PolicyId is null || string.Equals(user.PolicyId, policyId, StringComparison.Ordinal))
        && (user.Role == StaffRole.Bureau || string.Equals(user.Township, township, StringComparison.Ordinal))
        && (user.Role != StaffRole.Village || string.Equals(user.Village, village, StringComparison.Ordinal));

    /// <summary>A chosen resident with their first binding's follower and whether that follower opted out of manual reminders.</summary>
    private sealed record CandidateRow(long Id, string PolicyId, string Township, string Village, int? PaidYear, string? OpenId, long OptedOut);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
