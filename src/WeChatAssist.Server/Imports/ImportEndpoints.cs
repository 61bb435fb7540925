using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Csv;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Imports;

/// <summary><c>/api/v1/admin/imports</c>: upload a list (dry run or apply), the history, one report, its problems as
/// csv. Bureau staff import every kind for any policy; township staff only department lists (hardship, changes) of
/// their own township and policy, and see only their own uploads. Village cadres cannot import.</summary>
internal static class ImportEndpoints
{
    /// <summary>The <c>staff_audit_log</c> action of an <c>errors.csv</c> download; its target is <c>import:{id}</c>.</summary>
    public const string ErrorsCsvAction = "imports.errorsCsv";

    private const int HistoryLimit = 100;

    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var maxBytes = endpoints.ServiceProvider.GetRequiredService<IOptions<ImportOptions>>().Value.MaxFileBytes;
        var group = endpoints.MapGroup("/api/v1/admin/imports").WithTags("Imports")
            .RequireAuthorization(StaffClaims.TownshipPolicy)
            .AddEndpointFilter<ImportGate>();

        // Staff cookies are SameSite=Strict, so a cross-site form cannot carry them; no antiforgery token needed.
        group.MapPost("/", UploadAsync).WithName("AdminUploadImport")
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(maxBytes + 1024 * 1024))
            .WithFormOptions(multipartBodyLengthLimit: maxBytes + 1024 * 1024);
        group.MapGet("/", ListAsync).WithName("AdminListImports");
        group.MapGet("/{id:long}", GetAsync).WithName("AdminGetImport");
        group.MapGet("/{id:long}/errors.csv", ErrorsCsvAsync).WithName("AdminImportErrorsCsv");
        return endpoints;
    }

    /// <summary>Checks (<c>mode=validate</c>, the default) or applies (<c>mode=apply</c>) one xlsx or csv file.</summary>
    internal static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> UploadAsync(
        IFormFile? file,
        [FromForm] string? kind,
        [FromForm] string? policyId,
        [FromForm] string? mode,
        [FromForm] string? asOf,
        ClaimsPrincipal user,
        ImportService imports,
        PolicyCatalog catalog,
        [FromKeyedServices(ProblemTextKeys.Imports)] ProblemTexts texts,
        IOptions<ImportOptions> options,
        CancellationToken cancellationToken)
    {
        if (ImportLayouts.ParseKind(kind) is not { } parsedKind)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "kindUnknown");
        }

        if (ImportLayouts.ParseMode(mode) is not { } parsedMode)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "modeUnknown");
        }

        if (string.IsNullOrWhiteSpace(policyId) || catalog.Find(policyId.Trim()) is null)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "policyUnknown", ("policyId", policyId ?? ""));
        }

        var township = Township(user);
        if (township is not null
            && (township.Length == 0
                || parsedKind is not (ImportKind.Hardship or ImportKind.Changes)
                || user.FindFirstValue(StaffClaims.PolicyId) is { } ownPolicy && !string.Equals(ownPolicy, policyId.Trim(), StringComparison.Ordinal)))
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "scopeForbidden");
        }

        DateOnly? asOfDate = null;
        if (!string.IsNullOrWhiteSpace(asOf))
        {
            if (!DateOnly.TryParseExact(asOf.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return texts.Problem(StatusCodes.Status400BadRequest, "asOfInvalid");
            }

            asOfDate = parsed;
        }

        if (file is null)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "fileMissing");
        }

        if (file.Length > options.Value.MaxFileBytes)
        {
            return texts.Problem(StatusCodes.Status413PayloadTooLarge, "fileTooLarge", ("limit", options.Value.MaxFileMegabytes));
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, cancellationToken);
        }

        var result = await imports.RunAsync(
            new ImportRequest(policyId.Trim(), parsedKind, parsedMode, Path.GetFileName(file.FileName), content, user.Identity?.Name ?? "", asOfDate, township),
            cancellationToken);
        if (result.ProblemCode is { } code)
        {
            var (title, detail) = texts.Render(code);
            return TypedResults.Problem(
                result.Report.Problem ?? detail,
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: title,
                extensions: new Dictionary<string, object?> { ["code"] = code, ["importId"] = result.Report.Id });
        }

        return TypedResults.Ok(result);
    }

    /// <summary>The latest imports, newest first (township staff: their own).</summary>
    internal static async Task<Ok<IReadOnlyList<ImportReport>>> ListAsync(string? policyId, ClaimsPrincipal user, ImportStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(
            string.IsNullOrWhiteSpace(policyId) ? null : policyId.Trim(), HistoryLimit, cancellationToken, Township(user) is null ? null : user.Identity?.Name ?? ""));

    /// <summary>One import's report with its first row problems.</summary>
    internal static async Task<Results<Ok<ImportResult>, ProblemHttpResult>> GetAsync(long id, ClaimsPrincipal user, ImportService imports, [FromKeyedServices(ProblemTextKeys.Imports)] ProblemTexts texts, CancellationToken cancellationToken) =>
        await imports.FindAsync(id, cancellationToken) is { } result && MayRead(user, result.Report)
            ? TypedResults.Ok(result)
            : texts.Problem(StatusCodes.Status404NotFound, "importNotFound", ("id", id));

    /// <summary>Every row problem of an import as csv (UTF-8 with BOM, so Excel opens it in Chinese). Each download is
    /// audited: the file lists people of the county (masked) row by row, and may leave the building.</summary>
    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> ErrorsCsvAsync(
        long id, ClaimsPrincipal user, ImportStore store, AuditLog audit, [FromKeyedServices(ProblemTextKeys.Imports)] ProblemTexts texts, ImportVocabulary vocabulary,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(id, cancellationToken) is not { } report || !MayRead(user, report))
        {
            return texts.Problem(StatusCodes.Status404NotFound, "importNotFound", ("id", id));
        }

        // One row per download naming the import: its problems carry no resident ids (rejected rows may name people
        // not in the registry), so the per-resident audit_log does not fit.
        await audit.RecordStaffActionAsync(user.Identity?.Name ?? "", ErrorsCsvAction, "import:" + id.ToString(CultureInfo.InvariantCulture), cancellationToken);

        var csv = new CsvWriter().Row(vocabulary.CsvHeader.Split(','));
        await foreach (var p in store.ProblemsAsync(id, null, cancellationToken))
        {
            csv.Cell(p.Row).Cell(p.Column).Cell(vocabulary.SeverityName(p.Severity)).Cell(p.IdNumber).Cell(p.Name).Cell(p.Reason).Cell(p.Township).Cell(p.Village).EndRow();
        }

        return TypedResults.File(csv.ToUtf8WithBom(), CsvWriter.ContentType, $"import-{id}-errors.csv");
    }

    /// <summary>The township a township-staff caller is limited to, or null for bureau staff.</summary>
    private static string? Township(ClaimsPrincipal user) =>
        StaffClaims.Parse(user.FindFirstValue(ClaimTypes.Role)) == StaffRole.Township ? user.FindFirstValue(StaffClaims.Township) ?? "" : null;

    // Township staff read only their own uploads; someone else's answers as if it did not exist.
    private static bool MayRead(ClaimsPrincipal user, ImportReport report) =>
        Township(user) is null || string.Equals(report.StaffUser, user.Identity?.Name, StringComparison.Ordinal);
}

/// <summary>Answers 503 problem+json while <c>PersonalData:*</c> is not configured: imports read and write names and
/// ID numbers.</summary>
internal sealed class ImportGate(PersonalDataProtector protector, [FromKeyedServices(ProblemTextKeys.Imports)] ProblemTexts texts) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        protector.IsConfigured ? await next(context) : texts.Problem(StatusCodes.Status503ServiceUnavailable, "personalDataOff");
}
