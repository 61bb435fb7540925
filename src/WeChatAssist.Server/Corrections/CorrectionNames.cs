using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Corrections;

/// <summary>A correction's review state.</summary>
internal enum CorrectionStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>Where a reviewed correction's outcome message stands.</summary>
internal enum NotificationStatus
{
    /// <summary>The first send is due (the review just committed).</summary>
    Queued,

    /// <summary>WeChat answered transiently; the next send is scheduled.</summary>
    Retrying,

    Sent,

    /// <summary>Refused for good (e.g. 43101, no consent), not configured, or every attempt used up; not retried.</summary>
    Failed,
}

/// <summary>Wire and column names of <see cref="ResidentField"/> and <see cref="CorrectionStatus"/>.</summary>
internal static class CorrectionNames
{
    public static string Name(ResidentField field) => ResidentEditor.FieldName(field);

    public static ResidentField? ParseField(string? text) =>
        Enum.GetValues<ResidentField>().Cast<ResidentField?>().FirstOrDefault(f => string.Equals(Name(f!.Value), text?.Trim(), StringComparison.Ordinal));

    public static string Name(CorrectionStatus status) => status switch
    {
        CorrectionStatus.Pending => "pending",
        CorrectionStatus.Approved => "approved",
        _ => "rejected",
    };

    public static CorrectionStatus? ParseStatus(string? text) => text switch
    {
        "pending" => CorrectionStatus.Pending,
        "approved" => CorrectionStatus.Approved,
        "rejected" => CorrectionStatus.Rejected,
        _ => null,
    };

    public static string Name(NotificationStatus status) => status switch
    {
        NotificationStatus.Queued => "queued",
        NotificationStatus.Retrying => "retrying",
        NotificationStatus.Sent => "sent",
        _ => "failed",
    };

    public static NotificationStatus? ParseNotification(string? text) => text switch
    {
        "queued" => NotificationStatus.Queued,
        "retrying" => NotificationStatus.Retrying,
        "sent" => NotificationStatus.Sent,
        "failed" => NotificationStatus.Failed,
        _ => null,
    };

    /// <summary>Whether the value is personal data shown only masked in lists.</summary>
    public static bool IsIdentifying(ResidentField field) => field is ResidentField.Name or ResidentField.IdNumber or ResidentField.Address;
}
