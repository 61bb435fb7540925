using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>What we know of an official-account follower (<c>wechat_followers</c>).</summary>
internal sealed record FollowerIdentity(string AppId, string OpenId, string? UnionId, bool Subscribed, DateTimeOffset FetchedAt);

/// <summary>
/// Official-account followers' unionids, fetched from <c>cgi-bin/user/info</c> when they subscribe and when they
/// first write (and with <c>user/info/batchget</c> for backfills), kept in <c>wechat_followers</c>. The unionid is what
/// links a follower to the same person's mini-program OpenID and so to the residents they bound there; it exists
/// only when both apps are bound to one open-platform account.
/// </summary>
internal sealed partial class FollowerIdentities(
    DatabaseTarget database,
    IWeChatApiClient wechat,
    IOptionsMonitor<WeChatOptions> wechatOptions,
    TimeProvider clock,
    ILogger<FollowerIdentities> logger)
{
    /// <summary>The stored identity, or null when the follower was never looked up.</summary>
    public Task<FollowerIdentity?> FindAsync(string appId, string openId, CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<FollowerIdentity>(
            "SELECT app_id, open_id, union_id, subscribed, fetched_at FROM wechat_followers WHERE app_id = @appId AND open_id = @openId",
            new { appId, openId },
            cancellationToken);

    /// <summary>The stored identity, fetched from WeChat first when the follower was never looked up. A failed lookup
    /// is logged and yields null (the follower stays unknown; the next message tries again).</summary>
    public async Task<FollowerIdentity?> FindOrFetchAsync(string account, string openId, CancellationToken cancellationToken)
    {
        var appId = wechatOptions.CurrentValue.Accounts.TryGetValue(account, out var a) ? a.AppId : null;
        if (appId is null)
        {
            return null;
        }

        return await FindAsync(appId, openId, cancellationToken) ?? await FetchAsync(account, openId, cancellationToken);
    }

    /// <summary>Asks <c>cgi-bin/user/info</c> and stores the answer; null when WeChat refused or could not be reached.</summary>
    public async Task<FollowerIdentity?> FetchAsync(string account, string openId, CancellationToken cancellationToken)
    {
        if (!wechatOptions.CurrentValue.Accounts.TryGetValue(account, out var a) || a.Kind != WeChatAccountKind.OfficialAccount)
        {
            return null;
        }

        var result = await wechat.GetUserInfoAsync(account, openId, cancellationToken);
        if (!result.IsSuccess)
        {
            LogLookupFailed(logger, account, result.Error!.ErrorCode, result.Error.ErrorMessage);
            return null;
        }

        var identity = new FollowerIdentity(a.AppId, openId, result.Value.UnionId, result.Value.Subscribed, clock.GetUtcNow());
        await SaveAsync(identity, result.Value.Language, cancellationToken);
        return identity;
    }

    /// <summary>Backfills up to any number of followers through <c>user/info/batchget</c>, 100 per call. Returns how
    /// many were stored and how many of them have a unionid; a refused chunk is logged and skipped.</summary>
    public async Task<(int Stored, int WithUnionId)> BackfillAsync(string account, IReadOnlyList<string> openIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openIds);
        if (!wechatOptions.CurrentValue.Accounts.TryGetValue(account, out var a) || a.Kind != WeChatAccountKind.OfficialAccount)
        {
            throw new ArgumentException($"'{account}' is not an official account.", nameof(account));
        }

        var stored = 0;
        var withUnion = 0;
        foreach (var chunk in openIds.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var result = await wechat.BatchGetUserInfoAsync(account, chunk, cancellationToken);
            if (!result.IsSuccess)
            {
                LogLookupFailed(logger, account, result.Error!.ErrorCode, result.Error.ErrorMessage);
                continue;
            }

            foreach (var user in result.Value)
            {
                await SaveAsync(new FollowerIdentity(a.AppId, user.OpenId, user.UnionId, user.Subscribed, clock.GetUtcNow()), user.Language, cancellationToken);
                stored++;
                withUnion += user.UnionId is null ? 0 : 1;
            }
        }

        return (stored, withUnion);
    }

    /// <summary>Notes an unsubscribe (the unionid is kept: it still names the same person).</summary>
    public Task MarkUnsubscribedAsync(string appId, string openId, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "UPDATE wechat_followers SET subscribed = @no, fetched_at = @now WHERE app_id = @appId AND open_id = @openId",
            new { appId, openId, no = database.Dialect.Flag(false), now = clock.GetUtcNow() },
            cancellationToken);

    private Task<int> SaveAsync(FollowerIdentity identity, string? language, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO wechat_followers (app_id, open_id, union_id, subscribed, language, fetched_at) VALUES (@AppId, @OpenId, @UnionId, @subscribed, @language, @FetchedAt)
            ON CONFLICT (app_id, open_id) DO UPDATE SET union_id = COALESCE(excluded.union_id, wechat_followers.union_id),
                subscribed = excluded.subscribed, language = COALESCE(excluded.language, wechat_followers.language), fetched_at = excluded.fetched_at
            """,
            new { identity.AppId, identity.OpenId, identity.UnionId, subscribed = database.Dialect.Flag(identity.Subscribed), language, identity.FetchedAt },
            cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat user/info for account '{Account}' failed with {ErrorCode}: {ErrorMessage}; the follower's unionid stays unknown.")]
    private static partial void LogLookupFailed(ILogger logger, string account, int errorCode, string errorMessage);
}
