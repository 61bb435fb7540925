namespace WeChatAssist.Server.Corrections;

/// <summary>A correction as the resident who asked sees it: the person and identifying values masked.</summary>
internal sealed record MpCorrectionResponse(
    long Id,
    long ResidentId,
    string Name,
    string Field,
    string FieldName,
    string Value,
    string Status,
    string StatusName,
    string? Reason,
    bool HasPhoto,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ReviewedAt,
    DateTimeOffset? PhotoDeletedAt);

/// <summary>A queue row for staff: the person masked, identifying values masked (open the correction to see them).
/// <c>NotifyStatus</c> is null while pending, then <c>queued</c>, <c>retrying</c> (next at <c>NotifyNextAt</c>),
/// <c>sent</c> or <c>failed</c> (WeChat's code in <c>NotifyErrorCode</c>). <c>HasPhoto</c> is false once the photo was
/// deleted after its retention; <c>PhotoDeletedAt</c> then says when.</summary>
internal sealed record AdminCorrectionRow(
    long Id,
    long ResidentId,
    string PolicyId,
    string Township,
    string Village,
    string Name,
    string IdNumber,
    string Field,
    string Value,
    string Status,
    bool HasPhoto,
    DateTimeOffset CreatedAt,
    string? ReviewedBy,
    DateTimeOffset? ReviewedAt,
    string? Reason,
    bool Notified,
    string? NotifyError,
    string? NotifyStatus,
    int NotifyAttempts,
    int? NotifyErrorCode,
    DateTimeOffset? NotifyNextAt,
    DateTimeOffset? PhotoDeletedAt);

/// <summary>One correction opened for review: the current and the requested value in full (the read is audited).</summary>
internal sealed record AdminCorrectionDetail(AdminCorrectionRow Correction, string? CurrentValue, string NewValue);

/// <summary>The reviewer's decision: a reason is required to reject, optional to approve.</summary>
internal sealed record CorrectionReviewRequest(string? Reason);
