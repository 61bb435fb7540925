using System.Collections.Concurrent;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>Shares one computation of a scope's snapshot among the dashboards asking at the same time, and keeps it
/// until payments land in the county (the publisher invalidates it before it pushes) or <see cref="MaxAge"/> passes
/// (residents added by other paths). A push to fifty open dashboards therefore costs one computation, not fifty.</summary>
internal sealed class ProgressSnapshots(ProgressQueries queries, TimeProvider clock)
{
    /// <summary>The longest a snapshot is served without a payment event.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<ProgressScope, Entry> _entries = new();

    /// <summary>The snapshot of <paramref name="scope"/>, computed now or shared; null when the policy is not loaded.</summary>
    public async Task<ProgressSnapshot?> GetAsync(ProgressScope scope, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var entry = _entries.AddOrUpdate(
            scope,
            s => Start(s, now),
            (s, existing) => existing.Task.IsFaulted || existing.Task.IsCanceled || now - existing.Started > MaxAge ? Start(s, now) : existing);
        try
        {
            return await entry.Task.WaitAsync(cancellationToken);
        }
        catch (Exception) when (entry.Task.IsFaulted)
        {
            _entries.TryRemove(new KeyValuePair<ProgressScope, Entry>(scope, entry));
            throw;
        }
    }

    /// <summary>Forgets every snapshot of <paramref name="policyId"/>; the next request computes afresh.</summary>
    public void Invalidate(string policyId)
    {
        foreach (var scope in _entries.Keys)
        {
            if (string.Equals(scope.PolicyId, policyId, StringComparison.Ordinal))
            {
                _entries.TryRemove(scope, out _);
            }
        }
    }

    /// <summary>Forgets every snapshot.</summary>
    public void InvalidateAll() => _entries.Clear();

    // Shared by several requests: no single caller's cancellation may stop it (the queries are bounded anyway).
    private Entry Start(ProgressScope scope, DateTimeOffset now) => new(now, queries.SnapshotAsync(scope, CancellationToken.None));

    private sealed record Entry(DateTimeOffset Started, Task<ProgressSnapshot?> Task);
}
