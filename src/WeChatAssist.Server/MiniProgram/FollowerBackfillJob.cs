using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Scheduling;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>What one backfill run did on one official account.</summary>
internal sealed record FollowerBackfillResult(string Account, int Asked, int Stored, int WithUnionId);

/// <summary>
/// Backfills followers' unionids through <c>cgi-bin/user/info/batchget</c> (100 OpenIDs per call, WeChat's limit).
/// A follower's unionid is otherwise fetched only when they subscribe or first write, so two kinds are missed: people
/// the server knew as OpenIDs before unionids were kept (their consents, QR-code arrivals, dialogues, tags, bindings
/// on the official account) and followers looked up while the two apps were not yet under one open platform (stored
/// without a unionid; asked again after <see cref="MiniProgramOptions.FollowerRecheckAfter"/>). Runs nightly on one
/// node, and on demand from the bureau's <c>POST /api/v1/admin/followers/backfill</c>.
/// </summary>
internal sealed partial class FollowerBackfillJob(
    DatabaseTarget database,
    FollowerIdentities identities,
    IOptionsMonitor<WeChatOptions> wechatOptions,
    IOptions<MiniProgramOptions> options,
    TimeProvider clock,
    ILogger<FollowerBackfillJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken) => await RunForAsync(null, cancellationToken);

    /// <summary>Backfills the official accounts serving <paramref name="policyId"/>, or every official account when null.</summary>
    public async Task<IReadOnlyList<FollowerBackfillResult>> RunForAsync(string? policyId, CancellationToken cancellationToken)
    {
        var results = new List<FollowerBackfillResult>();
        foreach (var (name, account) in wechatOptions.CurrentValue.Accounts)
        {
            if (account is not { Kind: WeChatAccountKind.OfficialAccount } || (policyId is not null && !string.Equals(account.PolicyId, policyId, StringComparison.Ordinal)))
            {
                continue;
            }

            var openIds = await UnknownAsync(name, account.AppId, cancellationToken);
            if (openIds.Count == 0)
            {
                continue;
            }

            var (stored, withUnion) = await identities.BackfillAsync(name, openIds, cancellationToken);
            LogBackfilled(logger, name, openIds.Count, stored, withUnion);
            results.Add(new FollowerBackfillResult(name, openIds.Count, stored, withUnion));
        }

        return results;
    }

    /// <summary>The account's OpenIDs whose unionid is unknown: never looked up, or looked up without one long
    /// enough ago; at most <see cref="MiniProgramOptions.FollowerBackfillPerRun"/>, oldest lookups first.</summary>
    private async Task<IReadOnlyList<string>> UnknownAsync(string account, string appId, CancellationToken cancellationToken)
    {
        var o = options.Value;
        return await database.QueryAsync<string>(
            """
            SELECT open_id FROM (
              SELECT k.open_id, MIN(f.fetched_at) AS fetched_at
              FROM (
                SELECT open_id FROM subscribe_consents WHERE app_id = @appId
                UNION SELECT open_id FROM resident_bindings WHERE app_id = @appId
                UNION SELECT open_id FROM broadcast_tag_members WHERE app_id = @appId
                UNION SELECT open_id FROM follower_scene WHERE account = @account
                UNION SELECT open_id FROM chat_dialogue_state WHERE account = @account
                UNION SELECT open_id FROM wechat_followers WHERE app_id = @appId
              ) k
              LEFT JOIN wechat_followers f ON f.app_id = @appId AND f.open_id = k.open_id
              WHERE f.open_id IS NULL OR (f.union_id IS NULL AND f.subscribed = @yes AND f.fetched_at < @recheck)
              GROUP BY k.open_id
            ) u
            ORDER BY u.fetched_at IS NOT NULL, u.fetched_at, u.open_id
            LIMIT @limit
            """,
            new { appId, account, yes = database.Dialect.Flag(true), recheck = clock.GetUtcNow() - o.FollowerRecheckAfter, limit = o.FollowerBackfillPerRun },
            cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Follower backfill on '{Account}': asked {Asked} OpenIDs, stored {Stored}, {WithUnionId} with a unionid.")]
    private static partial void LogBackfilled(ILogger logger, string account, int asked, int stored, int withUnionId);
}
