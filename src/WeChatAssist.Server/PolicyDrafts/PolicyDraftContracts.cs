using WeChatAssist.Policy;

namespace WeChatAssist.Server.PolicyDrafts;

/// <summary>A draft in the list.</summary>
internal sealed record PolicyDraftRow(long Id, string? PolicyId, string? County, string FileName, string Status, int Faults, string UploadedBy, DateTimeOffset UploadedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt);

/// <summary>A draft with what a reviewer needs: the check's faults, the diff from the county's previous policy and the preview.</summary>
internal sealed record PolicyDraftDetail(PolicyDraftRow Draft, IReadOnlyList<PolicyFault> Faults, PolicyDraftDiff? Diff, PolicyPreview? Preview, bool CanApprove, string? CannotApproveReason);

/// <summary>The changes for residents against <see cref="PreviousPolicyId"/> (null: the county has no previous policy).</summary>
internal sealed record PolicyDraftDiff(string? PreviousPolicyId, IReadOnlyList<PolicyChange> Changes);

/// <summary>The result of an approval.</summary>
internal sealed record PolicyPublication(long DraftId, string PolicyId, int Version, DateOnly CollectionOpens);
