using System.Data.Common;
using Dapper;
using WeChatAssist.Server.Data;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.WeChat;

/// <summary>The apps a policy's residents are reached through.</summary>
/// <param name="MiniProgramAppIds">Every configured mini-program's app id.</param>
/// <param name="OfficialAppId">The official account serving the policy, or null.</param>
internal sealed record MessageRoutes(IReadOnlyList<string> MiniProgramAppIds, string? OfficialAppId)
{
    /// <summary>The configured mini-programs and the official account serving <paramref name="policyId"/>.</summary>
    public static MessageRoutes For(WeChatOptions wechat, string policyId)
    {
        ArgumentNullException.ThrowIfNull(wechat);
        var accounts = wechat.Accounts.Values.Where(a => a is not null).ToList();
        return new MessageRoutes(
            [.. accounts.Where(a => a.Kind == WeChatAccountKind.MiniProgram).Select(a => a.AppId).Distinct(StringComparer.Ordinal)],
            accounts.FirstOrDefault(a => a.Kind == WeChatAccountKind.OfficialAccount && string.Equals(a.PolicyId, policyId, StringComparison.Ordinal))?.AppId);
    }
}

/// <summary>One way to reach a person: an app, their OpenID in it, and the message family
/// (<see cref="MessageChannels.Subscribe"/> or <see cref="MessageChannels.Template"/>).</summary>
internal sealed record MessageTarget(string AppId, string OpenId, string Channel);

/// <summary>Which templates one message may go as.</summary>
/// <param name="MiniProgramSubscribe">The mini-program subscribe template (<c>subscribeMessage.send</c>), or null: not through the mini-program.</param>
/// <param name="OfficialSubscribe">The official account's subscribe template (a consent recorded there is needed), or null.</param>
/// <param name="OfficialTemplate">Whether an official-account template message (no consent, only following) is allowed.</param>
/// <param name="MiniProgramConsent">Whether the mini-program needs a consent recorded in <c>subscribe_consents</c>
/// (<see cref="MiniProgramConsent.Recorded"/>), or is tried unless a recorded consent is used up
/// (<see cref="MiniProgramConsent.UnlessRefused"/>: the page asked for it just before and WeChat's 43101 is the judge).</param>
internal sealed record MessageTemplates(string? MiniProgramSubscribe, string? OfficialSubscribe, bool OfficialTemplate, MiniProgramConsent MiniProgramConsent = MiniProgramConsent.Recorded);

/// <summary>How the mini-program channel is judged to have a consent.</summary>
internal enum MiniProgramConsent
{
    /// <summary>Only with a consent left in <c>subscribe_consents</c> (reminders: the popup event was pushed).</summary>
    Recorded,

    /// <summary>Unless <c>subscribe_consents</c> says none is left (no record: WeChat decides).</summary>
    UnlessRefused,
}

/// <summary>
/// The channel choice every message to a resident's WeChat user shares (reminders and correction outcomes): the
/// mini-program's <c>subscribeMessage.send</c> when the user is a mini-program user who consented there; then the
/// official account — the user itself when they are a follower, else the subscribed follower sharing their unionid —
/// as a subscribe message with a consent recorded there, else a template message. A person gets one message however
/// many channels they have: a sender walks these candidates in order and stops at the first that delivers. No consent
/// (43101), data the template refuses (47003) and not following (43004) concern one channel only
/// (<see cref="RefusesThisChannelOnly"/>): the sender records them for that channel and goes on with the next.
/// </summary>
/// <remarks>Lives outside Reminders/ because correction outcomes use it too. The planner's set-based insert
/// (<c>Reminders/OutboxSql</c>) makes the same first choice for a whole county in one statement.</remarks>
internal sealed class MessageChannels(DatabaseTarget database)
{
    public const string Subscribe = "subscribe";
    public const string Template = "template";

    /// <summary>Whether WeChat's <paramref name="errorCode"/> refuses the message on this channel only, so another
    /// channel of the same person may still carry it.</summary>
    public static bool RefusesThisChannelOnly(int? errorCode) =>
        errorCode is WeChatErrorCodes.UserRefused or WeChatErrorCodes.ArgumentInvalid or WeChatErrorCodes.RequireSubscribe;

    /// <summary>Uses one recorded subscribe consent of this user and template; false when none is left (or none was
    /// ever recorded).</summary>
    public async Task<bool> UseConsentAsync(string appId, string openId, string templateId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ExecuteAsync(
            "UPDATE subscribe_consents SET remaining = remaining - 1, updated_at = @now WHERE app_id = @appId AND open_id = @openId AND template_id = @templateId AND remaining > 0",
            new { appId, openId, templateId, now },
            cancellationToken) > 0;

    /// <summary>The candidates for resident <paramref name="residentId"/>'s first binding (the WeChat user reminders
    /// go to), in order; empty when the resident is not bound.</summary>
    public async Task<IReadOnlyList<MessageTarget>> ForResidentAsync(long residentId, MessageRoutes routes, MessageTemplates templates, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var binding = await connection.QuerySingleOrDefaultAsync<BindingRow>(new CommandDefinition(
            "SELECT app_id, open_id, union_id FROM resident_bindings WHERE resident_id = @residentId ORDER BY id LIMIT 1", new { residentId }, cancellationToken: cancellationToken));
        return binding is null ? [] : await CandidatesAsync(connection, binding.AppId, binding.OpenId, binding.UnionId, routes, templates, cancellationToken);
    }

    /// <summary>The candidates for one WeChat user (say, the one who submitted a correction), in order; their unionid
    /// is the one stored with their bindings.</summary>
    public async Task<IReadOnlyList<MessageTarget>> ForUserAsync(string appId, string openId, MessageRoutes routes, MessageTemplates templates, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        var union = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT union_id FROM resident_bindings WHERE app_id = @appId AND open_id = @openId AND union_id IS NOT NULL ORDER BY id LIMIT 1",
            new { appId, openId },
            cancellationToken: cancellationToken));
        return await CandidatesAsync(connection, appId, openId, union, routes, templates, cancellationToken);
    }

    private async Task<IReadOnlyList<MessageTarget>> CandidatesAsync(DbConnection connection, string app, string open, string? union, MessageRoutes routes, MessageTemplates templates, CancellationToken cancellationToken)
    {
        Task<long?> ConsentsLeftAsync(string appId, string openId, string templateId) =>
            connection.QueryFirstOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT remaining FROM subscribe_consents WHERE app_id = @appId AND open_id = @openId AND template_id = @templateId",
                new { appId, openId, templateId },
                cancellationToken: cancellationToken));

        var candidates = new List<MessageTarget>();
        var onMini = routes.MiniProgramAppIds.Contains(app, StringComparer.Ordinal);
        if (onMini && templates.MiniProgramSubscribe is { } miniTemplate)
        {
            var left = await ConsentsLeftAsync(app, open, miniTemplate);
            if (left > 0 || (left is null && templates.MiniProgramConsent == MiniProgramConsent.UnlessRefused))
            {
                candidates.Add(new MessageTarget(app, open, Subscribe));
            }
        }

        (string App, string Open)? official = onMini ? null : (app, open);
        if (onMini && union is not null && routes.OfficialAppId is not null)
        {
            var follower = await connection.QueryFirstOrDefaultAsync<string>(new CommandDefinition(
                "SELECT open_id FROM wechat_followers WHERE app_id = @OfficialAppId AND union_id = @union AND subscribed = @yes",
                new { routes.OfficialAppId, union, yes = database.Dialect.Flag(true) },
                cancellationToken: cancellationToken));
            if (follower is not null)
            {
                official = (routes.OfficialAppId, follower);
            }
        }

        if (official is { } o)
        {
            if (templates.OfficialSubscribe is { } officialTemplate && await ConsentsLeftAsync(o.App, o.Open, officialTemplate) > 0)
            {
                candidates.Add(new MessageTarget(o.App, o.Open, Subscribe));
            }

            if (templates.OfficialTemplate)
            {
                candidates.Add(new MessageTarget(o.App, o.Open, Template));
            }
        }

        return candidates;
    }

    /// <summary>The WeChat user a resident's first binding names.</summary>
    private sealed record BindingRow(string AppId, string OpenId, string? UnionId);
}
