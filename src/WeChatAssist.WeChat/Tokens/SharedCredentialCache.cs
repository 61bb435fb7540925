using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using WeChatAssist.WeChat.Api;

namespace WeChatAssist.WeChat.Tokens;

/// <summary>
/// Refresh-ahead cache of a credential shared through an <see cref="IAccessTokenStore"/>: one refresh at a time
/// per key inside the process (a semaphore) and across nodes (the store's lease).
/// </summary>
internal sealed partial class SharedCredentialCache
{
    private static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private readonly IAccessTokenStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, StoredAccessToken> _local = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public SharedCredentialCache(IAccessTokenStore store, TimeProvider time, ILogger logger)
    {
        _store = store;
        _time = time;
        _logger = logger;
    }

    /// <summary>Fetches a new credential; <c>force</c> is true when the current one was rejected by WeChat.</summary>
    public delegate Task<WeChatResult<StoredAccessToken>> Fetch(bool force, CancellationToken cancellationToken);

    /// <summary>The current credential, refreshed when less than <paramref name="refreshAhead"/> is left or when it equals <paramref name="rejected"/>.</summary>
    public async Task<WeChatResult<string>> GetAsync(string key, TimeSpan refreshAhead, string? rejected, Fetch fetch, CancellationToken cancellationToken)
    {
        if (_local.TryGetValue(key, out var cached) && IsFresh(cached, refreshAhead, rejected))
            return WeChatResult.Success(cached.Value);

        var gate = _gates.GetOrAdd(key, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await GetUnderGateAsync(key, refreshAhead, rejected, fetch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The shared store is down or misbehaving: callers get a classified transient error, never an exception.
            LogStoreFailed(_logger, key, ex);
            return WeChatResult.Failure<string>(WeChatError.Transport("token store failed: " + ex.GetType().Name));
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<WeChatResult<string>> GetUnderGateAsync(string key, TimeSpan refreshAhead, string? rejected, Fetch fetch, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + LeaseDuration + LeaseDuration;
        while (true)
        {
            if (_local.TryGetValue(key, out var cached) && IsFresh(cached, refreshAhead, rejected))
                return WeChatResult.Success(cached.Value);

            var stored = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (stored is not null && IsFresh(stored, refreshAhead, rejected))
                return Remember(key, stored);

            if (await _store.TryAcquireRefreshLeaseAsync(key, _owner, LeaseDuration, cancellationToken).ConfigureAwait(false))
                return await RefreshUnderLeaseAsync(key, refreshAhead, rejected, fetch, cancellationToken).ConfigureAwait(false);

            // Another node is refreshing. A token that is merely inside the refresh-ahead window is still good.
            if (stored is not null && IsUsable(stored, rejected))
                return Remember(key, stored);
            if (_time.GetUtcNow() > deadline)
                return WeChatResult.Failure<string>(WeChatError.Transport("timed out waiting for another node to refresh the token"));
            await Task.Delay(PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<WeChatResult<string>> RefreshUnderLeaseAsync(string key, TimeSpan refreshAhead, string? rejected, Fetch fetch, CancellationToken cancellationToken)
    {
        try
        {
            // Another node may have saved a token between our read and the lease.
            var stored = await _store.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (stored is not null && IsFresh(stored, refreshAhead, rejected))
                return Remember(key, stored);

            var force = rejected is not null && stored?.Value == rejected;
            LogRefreshing(_logger, key, force);
            var fetched = await fetch(force, cancellationToken).ConfigureAwait(false);
            if (!fetched.IsSuccess)
            {
                // Keep serving a still-valid token rather than failing callers during refresh-ahead.
                if (stored is not null && IsUsable(stored, rejected))
                    return Remember(key, stored);
                return fetched.CastError<string>();
            }
            await _store.SaveAsync(key, fetched.Value, cancellationToken).ConfigureAwait(false);
            return Remember(key, fetched.Value);
        }
        finally
        {
            await _store.ReleaseRefreshLeaseAsync(key, _owner, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private WeChatResult<string> Remember(string key, StoredAccessToken token)
    {
        _local[key] = token;
        return WeChatResult.Success(token.Value);
    }

    private bool IsFresh(StoredAccessToken token, TimeSpan refreshAhead, string? rejected) =>
        token.Value != rejected && token.ExpiresAt - _time.GetUtcNow() > refreshAhead;

    private bool IsUsable(StoredAccessToken token, string? rejected) =>
        token.Value != rejected && token.ExpiresAt > _time.GetUtcNow();

    [LoggerMessage(EventId = 4202, Level = LogLevel.Error, Message = "The shared token store failed for {Key}")]
    private static partial void LogStoreFailed(ILogger logger, string key, Exception exception);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Refreshing WeChat credential {Key} (force: {Force})")]
    private static partial void LogRefreshing(ILogger logger, string key, bool force);
}
