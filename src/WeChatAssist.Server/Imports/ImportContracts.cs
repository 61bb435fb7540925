namespace WeChatAssist.Server.Imports;

/// <summary>One upload to check or apply.</summary>
/// <param name="PolicyId">The county policy the list belongs to (e.g. <c>wenxi-2024</c>).</param>
/// <param name="Kind">Which list it is.</param>
/// <param name="Mode">Dry run or apply.</param>
/// <param name="FileName">The uploaded file's name, for the history.</param>
/// <param name="Content">The file's bytes (xlsx or csv).</param>
/// <param name="StaffUser">Who uploaded it.</param>
/// <param name="AsOf">The day a hardship total list's categories start; the business date when omitted.</param>
/// <param name="Township">For township staff: every row must be of this township (others are errors).</param>
internal sealed record ImportRequest(string PolicyId, ImportKind Kind, ImportMode Mode, string FileName, byte[] Content, string StaffUser, DateOnly? AsOf = null, string? Township = null);

/// <summary>An import as the history and the report show it. Counts say what applying does (for a dry run or a
/// rejected file: would do); only an <c>applied</c> import changed the registry.</summary>
internal sealed record ImportReport(
    long Id,
    string PolicyId,
    string Kind,
    string Mode,
    string Status,
    string FileName,
    string FileSha256,
    long FileBytes,
    string StaffUser,
    string? Problem,
    int TotalRows,
    int ErrorRows,
    int SkippedRows,
    int ResidentsCreated,
    int CategoriesOpened,
    int CategoriesClosed,
    int PaymentsRecorded,
    int UnchangedRows,
    string? PaymentBatchId,
    long? DuplicateOf,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt);

/// <summary>A row problem as the API returns it; the person only masked, the row's township and village as the file
/// wrote them.</summary>
internal sealed record ImportProblemRow(int Row, string Column, string Severity, string Code, string Reason, string IdNumber, string Name, string Township, string Village);

/// <summary>The report of one import with its first row problems (all of them are in <c>errors.csv</c>).</summary>
internal sealed record ImportResult(
    ImportReport Report,
    IReadOnlyList<ImportProblemRow> Problems,
    [property: System.Text.Json.Serialization.JsonIgnore] string? ProblemCode = null);

/// <summary>Statuses of <c>imports.status</c>.</summary>
internal static class ImportStatus
{
    /// <summary>A dry run finished (with or without row problems).</summary>
    public const string Validated = "validated";

    /// <summary>The file was applied.</summary>
    public const string Applied = "applied";

    /// <summary>Apply was asked but a row had an error: nothing changed.</summary>
    public const string Rejected = "rejected";

    /// <summary>The file itself could not be read (empty, broken, wrong columns): nothing changed.</summary>
    public const string Unreadable = "unreadable";

    /// <summary>The same file (same SHA-256) was applied before for this policy and kind: nothing changed.</summary>
    public const string Duplicate = "duplicate";
}

/// <summary>Import settings (section <c>Imports</c>).</summary>
internal sealed class ImportOptions
{
    public const string SectionName = "Imports";

    /// <summary>The largest upload accepted, in megabytes (a 500,000-row csv is about 40 MB).</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 1024)]
    public int MaxFileMegabytes { get; set; } = 100;

    /// <summary>How many row problems the JSON report carries; <c>errors.csv</c> has all of them.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 100_000)]
    public int ReportProblemLimit { get; set; } = 200;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;
}
