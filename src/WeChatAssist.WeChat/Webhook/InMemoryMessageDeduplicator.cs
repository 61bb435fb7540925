namespace WeChatAssist.WeChat.Webhook;

/// <summary>A process-local <see cref="IMessageDeduplicator"/> for a single node and tests.</summary>
public sealed class InMemoryMessageDeduplicator : IMessageDeduplicator
{
    private const int PurgeEvery = 1024;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Account, string Key), DateTimeOffset> _claims = [];
    private readonly TimeProvider _time;
    private int _sincePurge;

    /// <summary>Creates a deduplicator on the system clock.</summary>
    public InMemoryMessageDeduplicator()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a deduplicator on the given clock.</summary>
    public InMemoryMessageDeduplicator(TimeProvider time) => _time = time;

    /// <inheritdoc />
    public ValueTask<bool> TryClaimAsync(string account, string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (++_sincePurge >= PurgeEvery)
            {
                _sincePurge = 0;
                foreach (var expired in _claims.Where(c => c.Value <= now).Select(c => c.Key).ToList())
                    _claims.Remove(expired);
            }
            if (_claims.TryGetValue((account, key), out var until) && until > now)
                return ValueTask.FromResult(false);
            _claims[(account, key)] = now + ttl;
            return ValueTask.FromResult(true);
        }
    }
}
