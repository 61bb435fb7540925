namespace WeChatAssist.WeChat.Webhook;

/// <summary>A process-local <see cref="IMessageDeduplicator"/> for a single node and tests.</summary>
public sealed class InMemoryMessageDeduplicator : IMessageDeduplicator
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Account, string Key), DateTimeOffset> _claims = [];

    // Claims in arrival order, so expired ones are dropped from the front in amortised O(1) per claim.
    private readonly Queue<((string Account, string Key) Claim, DateTimeOffset Until)> _expiries = new();
    private readonly TimeProvider _time;

    /// <summary>Creates a deduplicator on the system clock.</summary>
    public InMemoryMessageDeduplicator()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a deduplicator on the given clock.</summary>
    public InMemoryMessageDeduplicator(TimeProvider time) => _time = time;

    /// <summary>Claims currently remembered.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _claims.Count;
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryClaimAsync(string account, string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            while (_expiries.TryPeek(out var head) && head.Until <= now)
            {
                _expiries.Dequeue();
                // Only forget the claim if it was not renewed after this queue entry was written.
                if (_claims.TryGetValue(head.Claim, out var until) && until <= now)
                    _claims.Remove(head.Claim);
            }
            if (_claims.TryGetValue((account, key), out var current) && current > now)
                return ValueTask.FromResult(false);
            var expiry = now + ttl;
            _claims[(account, key)] = expiry;
            _expiries.Enqueue(((account, key), expiry));
            return ValueTask.FromResult(true);
        }
    }
}
