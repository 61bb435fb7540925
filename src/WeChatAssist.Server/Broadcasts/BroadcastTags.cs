using Dapper;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Residents;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>The official account that mass-sends for a policy.</summary>
internal sealed record MassAccount(string Name, string AppId);

/// <summary>A tag WeChatAssist created, with how many followers it tagged.</summary>
internal sealed record BroadcastTag(int TagId, string Name, BroadcastAudience Audience, long Members, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>What creating a tag did: the tag, how many followers were tagged, and — when WeChat refused a batch of
/// followers part way — how many were not, with WeChat's code.</summary>
internal sealed record BroadcastTagCreated(BroadcastTag Tag, int Tagged, int NotTagged, int? ErrorCode);

/// <summary>The user tags WeChatAssist creates for tag broadcasts. It tags the followers itself (the first binding of
/// each resident of the audience, on the policy's official account) and remembers them, so a tag broadcast knows
/// exactly which followers it reaches and can count the four mass sends a month per follower. Tags made in WeChat's
/// own console have unknown members and cannot be used.</summary>
internal sealed class BroadcastTags(DatabaseTarget database, IWeChatApiClient wechat, IOptionsMonitor<WeChatOptions> wechatOptions, BusinessClock clock)
{
    /// <summary>WeChat tags at most this many followers per <c>batchtagging</c> call.</summary>
    public const int BatchSize = 50;

    /// <summary>The account that mass-sends for <paramref name="policyId"/> (the first configured for it), or null.</summary>
    public MassAccount? AccountFor(string policyId)
    {
        var account = wechatOptions.CurrentValue.Accounts.FirstOrDefault(a => string.Equals(a.Value.PolicyId, policyId, StringComparison.Ordinal));
        return account.Key is null ? null : new MassAccount(account.Key, account.Value.AppId);
    }

    /// <summary>Creates the WeChat tag and tags the audience's followers in batches of <see cref="BatchSize"/>,
    /// recording each batch WeChat accepted. Returns null with WeChat's error when the tag itself was refused
    /// (45157: the name is taken).</summary>
    public async Task<(BroadcastTagCreated? Created, WeChatError? Error)> CreateAsync(InsurancePolicy policy, MassAccount account, string name, BroadcastAudience audience, string createdBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(audience);
        var followers = await AudienceFollowersAsync(policy, account.AppId, audience, cancellationToken);
        var created = await wechat.CreateTagAsync(account.Name, name, cancellationToken);
        if (!created.IsSuccess)
        {
            return (null, created.Error);
        }

        var now = clock.GetUtcNow();
        var tagId = created.Value.Id;
        await database.ExecuteAsync("""
            INSERT INTO broadcast_tags (app_id, tag_id, policy_id, name, audience_kind, audience_township, audience_village, created_by, created_at)
            VALUES (@AppId, @tagId, @policyId, @name, @Kind, @Township, @Village, @createdBy, @now)
            """,
            new { account.AppId, tagId, policyId = policy.Id, name, audience.Kind, audience.Township, audience.Village, createdBy, now },
            cancellationToken);

        var tagged = 0;
        int? errorCode = null;
        foreach (var batch in followers.Chunk(BatchSize))
        {
            var result = await wechat.BatchTagAsync(account.Name, tagId, [.. batch.Select(f => f.OpenId)], cancellationToken);
            if (!result.IsSuccess)
            {
                // Later batches are not tried: the staff member sees how many were left out and why.
                errorCode = result.Error!.ErrorCode;
                break;
            }

            await AddMembersAsync(account.AppId, tagId, batch, cancellationToken);
            tagged += batch.Length;
        }

        var tag = new BroadcastTag(tagId, name, audience with { TagId = null }, tagged, createdBy, now);
        return (new BroadcastTagCreated(tag, tagged, followers.Count - tagged, errorCode), null);
    }

    /// <summary>The tag, when WeChatAssist created it for this policy; null otherwise.</summary>
    public async Task<BroadcastTag?> FindAsync(string policyId, string appId, int tagId, CancellationToken cancellationToken) =>
        await ListAsync(policyId, appId, tagId, cancellationToken) is [var tag, ..] ? tag : null;

    /// <summary>The policy's tags, newest first, with their member counts.</summary>
    public Task<IReadOnlyList<BroadcastTag>> ListAsync(string policyId, string appId, CancellationToken cancellationToken) =>
        ListAsync(policyId, appId, null, cancellationToken);

    private async Task<IReadOnlyList<BroadcastTag>> ListAsync(string policyId, string appId, int? tagId, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<TagRow>($"""
            SELECT t.tag_id, t.name, t.audience_kind, t.audience_township, t.audience_village, t.created_by, t.created_at,
                   (SELECT COUNT(*) FROM broadcast_tag_members m WHERE m.app_id = t.app_id AND m.tag_id = t.tag_id) AS members
            FROM broadcast_tags t
            WHERE t.policy_id = @policyId AND t.app_id = @appId {(tagId is null ? "" : "AND t.tag_id = @tagId")}
            ORDER BY t.created_at DESC, t.tag_id DESC
            """,
            new { policyId, appId, tagId },
            cancellationToken)).Select(t => new BroadcastTag(t.TagId, t.Name, new BroadcastAudience(t.AudienceKind, t.AudienceTownship, t.AudienceVillage), t.Members, t.CreatedBy, t.CreatedAt))];

    private async Task<List<(string OpenId, long ResidentId)>> AudienceFollowersAsync(InsurancePolicy policy, string appId, BroadcastAudience audience, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new { policy = policy.Id, app = appId, year = policy.BenefitYear });
        var condition = audience.ResidentCondition(parameters);
        var rows = await database.QueryAsync<(string OpenId, long ResidentId)>($"""
            SELECT b.open_id, r.id FROM {ResidentSql.Roster} r JOIN {OutboxSql.FirstBinding}
            WHERE r.policy_id = @policy AND b.app_id = @app AND ({condition})
            ORDER BY r.id
            """,
            parameters,
            cancellationToken);

        // One follower may be the first binding of several residents (a family member's phone): tagged once.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. rows.Where(r => seen.Add(r.OpenId))];
    }

    /// <summary>One multi-row insert per batch: one round trip (and on SQLite one commit) for 50 members.</summary>
    private Task<int> AddMembersAsync(string appId, int tagId, (string OpenId, long ResidentId)[] members, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(new { appId, tagId });
        var rows = members.Select((member, i) =>
        {
            parameters.Add("o" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), member.OpenId);
            parameters.Add("r" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), member.ResidentId);
            return $"(@appId, @tagId, @o{i}, @r{i})";
        }).ToList();
        return database.ExecuteAsync(
            $"INSERT INTO broadcast_tag_members (app_id, tag_id, open_id, resident_id) VALUES {string.Join(", ", rows)} ON CONFLICT (app_id, tag_id, open_id) DO NOTHING",
            parameters,
            cancellationToken);
    }

    /// <summary>A <c>broadcast_tags</c> row with its member count, in column order.</summary>
    private sealed record TagRow(int TagId, string Name, string AudienceKind, string? AudienceTownship, string? AudienceVillage, string CreatedBy, DateTimeOffset CreatedAt, long Members);
}
