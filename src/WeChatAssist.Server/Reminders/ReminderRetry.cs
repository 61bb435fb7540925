using WeChatAssist.Server.Clock;

namespace WeChatAssist.Server.Reminders;

/// <summary>Staff send failed reminders again: the rows go back to pending, due now, with a fresh count of attempts,
/// and the dispatcher takes them like any other. A staff member with a county retries only that county's rows.</summary>
internal sealed class ReminderRetry(ReminderOutbox outbox, BusinessClock clock)
{
    /// <summary>Retries the failed rows of <paramref name="policyIds"/> (a county's years; every county when null);
    /// only <paramref name="ids"/> when any are given. Returns how many rows went back to pending.</summary>
    public Task<int> RetryAsync(IReadOnlyList<string>? policyIds, IReadOnlyList<long> ids, CancellationToken cancellationToken) =>
        outbox.RetryFailedAsync(policyIds, ids, clock.GetUtcNow(), cancellationToken);
}
