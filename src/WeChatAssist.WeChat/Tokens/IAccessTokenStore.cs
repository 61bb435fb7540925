using WeChatAssist.WeChat.Api;

namespace WeChatAssist.WeChat.Tokens;

/// <summary>
/// Where access tokens and JS-SDK tickets live so every node uses the same one (a database table in production).
/// Keys are opaque: the app id for access tokens, <c>{appId}:jsapi</c> for tickets.
/// </summary>
public interface IAccessTokenStore
{
    /// <summary>The current token for a key, or null.</summary>
    ValueTask<StoredAccessToken?> GetAsync(string key, CancellationToken cancellationToken);

    /// <summary>Tries to take the refresh lease for a key so only one node refreshes; true when <paramref name="owner"/> now holds it.</summary>
    ValueTask<bool> TryAcquireRefreshLeaseAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Stores a freshly fetched token.</summary>
    ValueTask SaveAsync(string key, StoredAccessToken token, CancellationToken cancellationToken);

    /// <summary>Gives the lease back if <paramref name="owner"/> still holds it.</summary>
    ValueTask ReleaseRefreshLeaseAsync(string key, string owner, CancellationToken cancellationToken);
}
