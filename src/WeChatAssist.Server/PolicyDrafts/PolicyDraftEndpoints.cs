using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.PolicyDrafts;

/// <summary>
/// <c>/api/v1/admin/policies/drafts</c>: a bureau member uploads a policy file (the raw YAML as the request body), every
/// bureau member of the county sees its check faults, the diff from the county's previous policy and the preview, and a
/// second bureau member approves it, which publishes it as the next version of its id. Every step is audited.
/// </summary>
internal static class PolicyDraftEndpoints
{
    public const string UploadAction = "policies.draft.upload";
    public const string ReadAction = "policies.draft.read";
    public const string ApproveAction = "policies.draft.approve";

    private const int ListSize = 100;

    public static IEndpointRouteBuilder MapPolicyDrafts(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/admin/policies/drafts").WithTags("Policies").RequireAuthorization(StaffClaims.BureauPolicy);
        group.MapPost("", Upload).WithName("AdminUploadPolicyDraft").Accepts<string>("application/yaml", "text/yaml", "text/plain", "application/octet-stream");
        group.MapGet("", List).WithName("AdminListPolicyDrafts");
        group.MapGet("/{id:long}", Get).WithName("AdminGetPolicyDraft");
        group.MapPost("/{id:long}/approve", Approve).WithName("AdminApprovePolicyDraft");
        return endpoints;
    }

    internal static async Task<Results<Created<PolicyDraftDetail>, ProblemHttpResult>> Upload(
        string? fileName,
        HttpRequest request,
        ClaimsPrincipal user,
        PolicyDraftStore store,
        PolicyCatalog catalog,
        BusinessClock clock,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.PolicyDrafts)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        // Read at most one byte past the limit: a larger body is refused without being held in memory.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > PolicyCheck.MaxBytes)
            {
                return texts.Problem(StatusCodes.Status413PayloadTooLarge, "draftTooLarge", ("bytes", request.ContentLength?.ToString(CultureInfo.InvariantCulture) ?? $"{PolicyCheck.MaxBytes}+"));
            }
        }

        if (buffer.Length == 0)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "draftEmpty");
        }

        var name = string.IsNullOrWhiteSpace(fileName) ? "draft.yaml" : Path.GetFileName(fileName.Trim());
        var bytes = buffer.ToArray();
        var check = PolicyCheck.Check(bytes, name);
        if (check.Faults is [{ Reason: var reason } fault] && reason.Contains("not UTF-8", StringComparison.Ordinal))
        {
            return texts.Problem(StatusCodes.Status422UnprocessableEntity, "draftNotUtf8", ("line", fault.Line), ("column", fault.Column));
        }

        var county = check.Policy?.Name ?? UserCounty(user, catalog);
        if (!InScope(user, catalog, county))
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "draftOtherCounty", ("county", county ?? ""));
        }

        var yaml = System.Text.Encoding.UTF8.GetString(bytes);
        var id = await store.AddDraftAsync(check.Policy?.Id, county, name, yaml, check.Faults, StaffName(user), cancellationToken);
        await audit.RecordStaffActionAsync(StaffName(user), UploadAction, Target(id, check.Policy?.Id), cancellationToken);
        var draft = (await store.GetDraftAsync(id, cancellationToken))!;
        return TypedResults.Created($"/api/v1/admin/policies/drafts/{id}", Detail(draft, check.Policy, catalog, Preview(check.Policy, null, clock), user));
    }

    internal static async Task<Ok<PolicyDraftRow[]>> List(ClaimsPrincipal user, PolicyDraftStore store, PolicyCatalog catalog, CancellationToken cancellationToken)
    {
        var drafts = await store.ListDraftsAsync(ListSize, cancellationToken);
        return TypedResults.Ok(drafts.Where(d => InScope(user, catalog, d.County)).Select(Row).ToArray());
    }

    internal static async Task<Results<Ok<PolicyDraftDetail>, ProblemHttpResult>> Get(
        long id,
        string? on,
        ClaimsPrincipal user,
        PolicyDraftStore store,
        PolicyCatalog catalog,
        BusinessClock clock,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.PolicyDrafts)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        DateOnly? day = null;
        if (!string.IsNullOrWhiteSpace(on))
        {
            if (!DateOnly.TryParseExact(on.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return texts.Problem(StatusCodes.Status400BadRequest, "previewDate");
            }

            day = parsed;
        }

        if (await store.GetDraftAsync(id, cancellationToken) is not { } draft || !InScope(user, catalog, draft.County))
        {
            return texts.Problem(StatusCodes.Status404NotFound, "draftNotFound", ("id", id));
        }

        var policy = PolicyCheck.Check(draft.Yaml, draft.FileName).Policy;
        await audit.RecordStaffActionAsync(StaffName(user), ReadAction, Target(id, draft.PolicyId), cancellationToken);
        return TypedResults.Ok(Detail(draft, policy, catalog, Preview(policy, day, clock), user));
    }

    internal static async Task<Results<Ok<PolicyPublication>, ProblemHttpResult>> Approve(
        long id,
        ClaimsPrincipal user,
        PolicyDraftStore store,
        PolicyCatalog catalog,
        PublishedPolicyPoller poller,
        AuditLog audit,
        [FromKeyedServices(ProblemTextKeys.PolicyDrafts)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        if (await store.GetDraftAsync(id, cancellationToken) is not { } draft || !InScope(user, catalog, draft.County))
        {
            return texts.Problem(StatusCodes.Status404NotFound, "draftNotFound", ("id", id));
        }

        var (outcome, version) = await store.PublishAsync(id, StaffName(user), cancellationToken);
        switch (outcome)
        {
            case PublishOutcome.NotFound: return texts.Problem(StatusCodes.Status404NotFound, "draftNotFound", ("id", id));
            case PublishOutcome.OwnDraft: return texts.Problem(StatusCodes.Status403Forbidden, "draftOwn");
            case PublishOutcome.HasFaults: return texts.Problem(StatusCodes.Status422UnprocessableEntity, "draftHasFaults", ("count", Math.Max(1, draft.Faults.Count)));
            case PublishOutcome.AlreadyPublished: return texts.Problem(StatusCodes.Status409Conflict, "draftAlreadyPublished");
        }

        await audit.RecordStaffActionAsync(StaffName(user), ApproveAction, $"{Target(id, draft.PolicyId)} v{version}", cancellationToken);

        // This node serves it at once; the others within PolicyDrafts:PollSeconds.
        await poller.RefreshAsync(cancellationToken);
        var policy = catalog.Get(draft.PolicyId!);
        return TypedResults.Ok(new PolicyPublication(id, policy.Id, version, policy.CollectionWindow.From));
    }

    private static PolicyDraftDetail Detail(PolicyDraft draft, InsurancePolicy? policy, PolicyCatalog catalog, PolicyPreview? preview, ClaimsPrincipal user)
    {
        PolicyDraftDiff? diff = null;
        if (policy is not null)
        {
            var previous = Previous(catalog, policy);
            diff = new PolicyDraftDiff(previous?.Id, previous is null ? [] : PolicyDiff.Compare(previous, policy));
        }

        string? reason = draft.Status != PolicyDraftStore.Draft ? "published"
            : draft.Faults.Count > 0 || policy is null ? "faults"
            : string.Equals(draft.UploadedBy, StaffName(user), StringComparison.Ordinal) ? "ownDraft"
            : null;
        return new PolicyDraftDetail(Row(draft), draft.Faults, diff, preview, reason is null, reason);
    }

    /// <summary>
    /// The county's previous policy: the one this draft would replace (same id: a correction), else the county's
    /// latest earlier benefit year.
    /// </summary>
    private static InsurancePolicy? Previous(PolicyCatalog catalog, InsurancePolicy draft) =>
        catalog.Find(draft.Id) ?? catalog.All
            .Where(p => p.Name == draft.Name && p.BenefitYear < draft.BenefitYear)
            .MaxBy(p => p.BenefitYear);

    /// <summary>The preview on <paramref name="on"/>, else today or, before the window opens, its first day.</summary>
    private static PolicyPreview? Preview(InsurancePolicy? policy, DateOnly? on, BusinessClock clock)
    {
        if (policy is null)
        {
            return null;
        }

        var today = clock.Today();
        return PolicyPreview.Build(policy, on ?? (today < policy.CollectionWindow.From ? policy.CollectionWindow.From : today));
    }

    private static PolicyDraftRow Row(PolicyDraft d) =>
        new(d.Id, d.PolicyId, d.County, d.FileName, d.Status, d.Faults.Count, d.UploadedBy, d.UploadedAt, d.ApprovedBy, d.ApprovedAt);

    /// <summary>A bureau member bound to a policy sees that county's drafts; one bound to none sees all.</summary>
    private static bool InScope(ClaimsPrincipal user, PolicyCatalog catalog, string? county) =>
        UserCounty(user, catalog) is not { } mine || county is null || string.Equals(mine, county, StringComparison.Ordinal);

    private static string? UserCounty(ClaimsPrincipal user, PolicyCatalog catalog) =>
        user.FindFirstValue(StaffClaims.PolicyId) is { Length: > 0 } policyId ? catalog.Find(policyId)?.Name : null;

    private static string Target(long id, string? policyId) => $"draft:{id.ToString(CultureInfo.InvariantCulture)}" + (policyId is null ? "" : $" {policyId}");

    private static string StaffName(ClaimsPrincipal user) => user.Identity?.Name ?? "";
}
