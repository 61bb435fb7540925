namespace WeChatAssist.Server.Imports;

/// <summary>The four lists the bureau receives. Sent and stored in lower case (<c>hardship</c>, <c>changes</c>,
/// <c>enrollment</c>, <c>tax</c>).</summary>
internal enum ImportKind
{
    /// <summary>A department's total list of residents in hardship categories (004 附件2).</summary>
    Hardship,

    /// <summary>A department's monthly or quarterly additions and exits (004 附件3).</summary>
    Changes,

    /// <summary>Last benefit year's enrollment (paid) list from the bureau's own system.</summary>
    Enrollment,

    /// <summary>The tax bureau's daily paid/unpaid file.</summary>
    Tax,
}

/// <summary>Whether an upload only checks the file or also applies it.</summary>
internal enum ImportMode
{
    /// <summary>Dry run: the report says what applying would do; the registry is not changed.</summary>
    Validate,

    /// <summary>Apply the whole file in one transaction, or nothing when a row has an error.</summary>
    Apply,
}

/// <summary>A column the importer understands; each kind uses some of them.</summary>
internal enum ImportColumn
{
    Sequence,
    Township,
    Village,
    Name,
    IdNumber,
    Category,
    ChangeType,
    ChangeDate,
    BenefitYear,
    PaidOn,
    Amount,
    PaymentStatus,
}

/// <summary>The columns of each kind: the notices' own for the department lists, our documented layout for the
/// enrollment list and the tax file (see Imports/README.md).</summary>
internal static class ImportLayouts
{
    public static readonly int ColumnCount = Enum.GetValues<ImportColumn>().Length;

    public static string Name(ImportKind kind) => kind switch
    {
        ImportKind.Hardship => "hardship",
        ImportKind.Changes => "changes",
        ImportKind.Enrollment => "enrollment",
        _ => "tax",
    };

    public static string Name(ImportMode mode) => mode == ImportMode.Apply ? "apply" : "validate";

    public static ImportKind? ParseKind(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "hardship" => ImportKind.Hardship,
        "changes" => ImportKind.Changes,
        "enrollment" => ImportKind.Enrollment,
        "tax" => ImportKind.Tax,
        _ => null,
    };

    public static ImportMode? ParseMode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "validate" or "dry-run" or null or "" => ImportMode.Validate,
        "apply" => ImportMode.Apply,
        _ => null,
    };

    /// <summary>Columns a file of <paramref name="kind"/> must have.</summary>
    public static IReadOnlyList<ImportColumn> Required(ImportKind kind) => kind switch
    {
        ImportKind.Hardship => [ImportColumn.Township, ImportColumn.Village, ImportColumn.Name, ImportColumn.IdNumber, ImportColumn.Category],
        ImportKind.Changes => [ImportColumn.Township, ImportColumn.Village, ImportColumn.Name, ImportColumn.IdNumber, ImportColumn.ChangeType, ImportColumn.Category, ImportColumn.ChangeDate],
        ImportKind.Enrollment => [ImportColumn.Township, ImportColumn.Village, ImportColumn.Name, ImportColumn.IdNumber, ImportColumn.BenefitYear, ImportColumn.PaidOn],
        _ => [ImportColumn.IdNumber, ImportColumn.Name, ImportColumn.BenefitYear, ImportColumn.PaidOn, ImportColumn.Amount, ImportColumn.PaymentStatus],
    };

    /// <summary>Columns a file of <paramref name="kind"/> may have besides the required ones.</summary>
    public static IReadOnlyList<ImportColumn> Optional(ImportKind kind) => kind switch
    {
        ImportKind.Enrollment => [ImportColumn.Sequence, ImportColumn.Amount],
        ImportKind.Tax => [ImportColumn.Sequence, ImportColumn.Township, ImportColumn.Village],
        _ => [ImportColumn.Sequence],
    };

    /// <summary>Whether the kind adds residents missing from the registry (the department lists and the enrollment
    /// list do; the tax file never does).</summary>
    public static bool CreatesResidents(ImportKind kind) => kind != ImportKind.Tax;
}
