using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Corrections;

/// <summary>A correction's review state.</summary>
internal enum CorrectionStatus
{
    Pending,
    Approved,
    Rejected,
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

    /// <summary>Whether the value is personal data shown only masked in lists.</summary>
    public static bool IsIdentifying(ResidentField field) => field is ResidentField.Name or ResidentField.IdNumber or ResidentField.Address;
}
