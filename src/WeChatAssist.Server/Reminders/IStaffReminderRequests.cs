namespace WeChatAssist.Server.Reminders;

/// <summary>Staff asking for reminders to chosen residents now ("remind these residents" on the cadre page): the
/// request goes into the reminder outbox like any planned reminder, with its audience checks, quiet hours, budgets
/// and de-duplication.</summary>
internal interface IStaffReminderRequests
{
    /// <summary>Queues one reminder per resident in <paramref name="residentIds"/> who still owes for the current
    /// benefit year and has a reachable, not-opted-out WeChat user; <paramref name="requestedBy"/> is the staff user
    /// name, kept on the rows for the audit trail.</summary>
    Task<StaffReminderResult> RequestAsync(IReadOnlyCollection<long> residentIds, string requestedBy, CancellationToken cancellationToken);
}

/// <summary>How a staff reminder request ended: rows queued, and residents skipped with the reason counted
/// (<c>paid</c>, <c>noWeChatUser</c>, <c>optedOut</c>, <c>alreadyQueued</c>, <c>outOfScope</c>).</summary>
internal sealed record StaffReminderResult(int Queued, IReadOnlyDictionary<string, int> Skipped);
