using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>How an approval ended.</summary>
internal enum BroadcastApprovalOutcome
{
    Approved,

    /// <summary>The approver wrote the broadcast: a second bureau member must approve it.</summary>
    SelfApproval,

    /// <summary>The broadcast was no longer a draft (approved, sent or cancelled by someone else first).</summary>
    NotDraft,
}

/// <summary>The four-eyes approval of a broadcast: a draft is approved by a bureau member other than its author, and
/// only when its template still renders (a draft saved before templates were Scriban, or under other limits, is
/// checked again), so nothing that cannot render is ever scheduled.</summary>
internal sealed class BroadcastApproval(BroadcastStore store, PolicyCatalog catalog, ReminderContent content, BusinessClock clock)
{
    /// <summary>The sample resident a broadcast is rendered for when no one in particular is chosen: an ordinary adult.</summary>
    public static ResidentFacts OrdinaryResident { get; } = new() { BirthDate = new DateOnly(1980, 1, 1) };

    /// <summary>Approves <paramref name="broadcast"/> as <paramref name="approver"/>. Throws
    /// <see cref="TemplateException"/> when its template does not render for an ordinary resident.</summary>
    public async Task<BroadcastApprovalOutcome> ApproveAsync(Broadcast broadcast, string approver, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(broadcast);
        content.RenderBroadcastText(catalog.Get(broadcast.PolicyId), broadcast.Template, OrdinaryResident, clock.Today());
        if (string.Equals(approver, broadcast.CreatedBy, StringComparison.Ordinal))
        {
            return BroadcastApprovalOutcome.SelfApproval;
        }

        var set = new Dictionary<string, object?> { ["approved_by"] = approver, ["approved_at"] = clock.GetUtcNow() };
        return await store.TransitionAsync(broadcast.Id, [BroadcastStatus.Draft], BroadcastStatus.Approved, set, cancellationToken)
            ? BroadcastApprovalOutcome.Approved
            : BroadcastApprovalOutcome.NotDraft;
    }
}
