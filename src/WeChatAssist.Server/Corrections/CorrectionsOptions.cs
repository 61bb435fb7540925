using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.Corrections;

/// <summary><c>Corrections:*</c>: where photos are kept, their limits, and the subscribe message that tells the resident the outcome.</summary>
internal sealed class CorrectionsOptions
{
    public const string SectionName = "Corrections";

    /// <summary>Folder of the encrypted photos, relative to the content root. Files are named at random.</summary>
    [Required]
    public string PhotoDirectory { get; set; } = "data/correction-photos";

    /// <summary>Largest photo accepted, in bytes.</summary>
    [Range(1024, 20 * 1024 * 1024)]
    public int MaxPhotoBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Longest corrected value, in characters.</summary>
    [Range(1, 500)]
    public int MaxValueLength { get; set; } = 100;

    /// <summary>Open corrections one resident may have at a time.</summary>
    [Range(1, 100)]
    public int MaxPendingPerResident { get; set; } = 5;

    /// <summary>How long after the review the photo is kept for questions about the decision, then deleted. The photo
    /// of a correction still pending is never deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Corrections:PhotoRetention must be between 0 and 3650 days.")]
    public TimeSpan PhotoRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The message that reports the review outcome: a mini-program subscribe message, else the official account.</summary>
    public CorrectionResultMessageOptions ResultMessage { get; set; } = new();
}

/// <summary><c>Corrections:ResultMessage</c>: the template id the county applied for, and which of its keywords carry what.</summary>
internal sealed class CorrectionResultMessageOptions
{
    /// <summary>Template id from the mini-program's subscribe-message settings; empty: no message is sent (recorded).</summary>
    public string? TemplateId { get; set; }

    /// <summary>Mini-program page the message opens.</summary>
    public string Page { get; set; } = "pages/corrections/index";

    /// <summary>The official account's template-message template (same keywords) for a resident the mini-program
    /// cannot reach (no consent there, 43101) who follows the county's official account under the same unionid;
    /// empty: not sent there.</summary>
    public string? OfficialTemplateId { get; set; }

    /// <summary>The official account's subscribe-message template (same keywords), used before the template message
    /// when the follower accepted it there; empty: not used.</summary>
    public string? OfficialSubscribeTemplateId { get; set; }

    /// <summary>Keyword that carries which field was corrected.</summary>
    [Required]
    public string ItemKey { get; set; } = "thing1";

    /// <summary>Keyword that carries the outcome.</summary>
    [Required]
    public string ResultKey { get; set; } = "phrase2";

    /// <summary>Keyword that carries the reason or remark.</summary>
    [Required]
    public string RemarkKey { get; set; } = "thing3";

    /// <summary>Keyword that carries the review date.</summary>
    [Required]
    public string DateKey { get; set; } = "date4";

    /// <summary>Sends tried in all (the first after the review included) while WeChat answers transiently (-1, quota,
    /// network); then the message is given up and marked failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the second send; doubled for each further one (with jitter), up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "Corrections:ResultMessage:RetryBaseDelay must be between 0 and 1 day.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest wait between two sends.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00", ErrorMessage = "Corrections:ResultMessage:RetryMaxDelay must be between 0 and 7 days.")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(6);
}
