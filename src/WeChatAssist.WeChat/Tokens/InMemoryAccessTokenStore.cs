using WeChatAssist.WeChat.Api;

namespace WeChatAssist.WeChat.Tokens;

/// <summary>A process-local <see cref="IAccessTokenStore"/> for a single node and tests; share one instance to model several nodes.</summary>
public sealed class InMemoryAccessTokenStore : IAccessTokenStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredAccessToken> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Owner, DateTimeOffset Until)> _leases = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates a store using the system clock.</summary>
    public InMemoryAccessTokenStore()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a store using the given clock for lease expiry.</summary>
    public InMemoryAccessTokenStore(TimeProvider time) => _time = time;

    /// <inheritdoc />
    public ValueTask<StoredAccessToken?> GetAsync(string key, CancellationToken cancellationToken)
    {
        lock (_gate)
            return ValueTask.FromResult(_tokens.GetValueOrDefault(key));
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAcquireRefreshLeaseAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_leases.TryGetValue(key, out var lease) && lease.Until > now && lease.Owner != owner)
                return ValueTask.FromResult(false);
            _leases[key] = (owner, now + duration);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask SaveAsync(string key, StoredAccessToken token, CancellationToken cancellationToken)
    {
        lock (_gate)
            _tokens[key] = token;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask ReleaseRefreshLeaseAsync(string key, string owner, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(key, out var lease) && lease.Owner == owner)
                _leases.Remove(key);
        }
        return ValueTask.CompletedTask;
    }
}
