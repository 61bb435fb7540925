using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.PolicyDrafts;

/// <summary><c>PolicyDrafts:*</c>: how often each node looks for a newly published policy.</summary>
internal sealed class PolicyDraftsOptions
{
    public const string SectionName = "PolicyDrafts";

    /// <summary>Seconds between two looks at <c>published_policies</c>; a publication is live on every node within this.</summary>
    [Range(1, 300)]
    public int PollSeconds { get; set; } = 2;
}
