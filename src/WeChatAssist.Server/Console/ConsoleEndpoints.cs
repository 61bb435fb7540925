using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Links;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>"Remind these residents" from the cadre page.</summary>
internal sealed record RemindRequest(IReadOnlyList<long>? ResidentIds);

/// <summary>The village page's data: progress and the masked unpaid list.</summary>
internal sealed record VillageView(ProgressSnapshot Progress, IReadOnlyList<UnpaidResident> Unpaid, bool RemindersAvailable);

/// <summary><c>/api/v1/console</c>: dashboard data for the caller's scope, the cadre's unpaid list (audited), reminders,
/// and every table as Excel.</summary>
internal static class ConsoleEndpoints
{
    /// <summary>The audit action of an unpaid-list read.</summary>
    public const string UnpaidAction = "console.unpaid";

    public static IEndpointRouteBuilder MapConsoleEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/console").WithTags("Console").RequireAuthorization(StaffClaims.VillagePolicy);
        group.MapGet("/progress", Progress).WithName("ConsoleProgress");
        group.MapGet("/village", Village).WithName("ConsoleVillage").AddEndpointFilter<PersonalDataGate>();
        group.MapPost("/village/remind", Remind).WithName("ConsoleRemind");
        group.MapGet("/export/{table}", Export).WithName("ConsoleExport");
        return endpoints;
    }

    /// <summary>The caller's scope narrowed by the request; a bureau account without a county gets the first loaded policy.</summary>
    internal static bool TryResolve(ClaimsPrincipal user, PolicyCatalog policies, string? policyId, string? township, string? village, out ProgressScope scope)
    {
        scope = new ProgressScope("", null, null);
        if (!AdminResidentEndpoints.TryScope(user, policyId, township, village, out var resident))
        {
            return false;
        }

        var policy = resident.PolicyId ?? policies.All.OrderBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault()?.Id;
        if (policy is null || policies.Find(policy) is null)
        {
            return false;
        }

        scope = new ProgressScope(policy, resident.Township, resident.Township is null ? null : resident.Village);
        return true;
    }

    internal static async Task<Results<Ok<ProgressSnapshot>, ForbidHttpResult>> Progress(
        string? policyId, string? township, string? village, ClaimsPrincipal user, HttpResponse response, PolicyCatalog policies, ProgressSnapshots snapshots, CancellationToken cancellationToken)
    {
        if (!TryResolve(user, policies, policyId, township, village, out var scope))
        {
            return TypedResults.Forbid();
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        if (await snapshots.GetAsync(scope, cancellationToken) is not { } snapshot)
        {
            return TypedResults.Forbid();
        }

        // The database time of the dashboard, for the browser's network panel and the console-load benchmark.
        response.Headers["Server-Timing"] = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"snapshot;dur={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0}");
        return TypedResults.Ok(snapshot);
    }

    internal static async Task<Results<Ok<VillageView>, ForbidHttpResult>> Village(
        string? policyId,
        string? township,
        string? village,
        ClaimsPrincipal user,
        PolicyCatalog policies,
        ProgressSnapshots snapshots,
        UnpaidResidents unpaid,
        AuditLog audit,
        IServiceProvider services,
        CancellationToken cancellationToken)
    {
        if (!TryResolve(user, policies, policyId, township, village, out var scope) || scope.Village is null
            || await snapshots.GetAsync(scope, cancellationToken) is not { } snapshot)
        {
            return TypedResults.Forbid();
        }

        var rows = await unpaid.ListAsync(scope, snapshot.BenefitYear, cancellationToken);
        await audit.RecordReadsAsync(user.Identity?.Name ?? "", UnpaidAction, rows.Select(r => r.Id), cancellationToken);
        return TypedResults.Ok(new VillageView(snapshot, rows, services.GetService<IStaffReminderRequests>() is not null));
    }

    internal static async Task<Results<Ok<StaffReminderResult>, BadRequest>> Remind(
        RemindRequest request,
        ClaimsPrincipal user,
        ResidentRegistry registry,
        IStaffReminderRequests reminders,
        CancellationToken cancellationToken)
    {
        if (request.ResidentIds is not { Count: > 0 and <= UnpaidResidents.Limit } ids)
        {
            return TypedResults.BadRequest();
        }

        // Only residents inside the caller's own scope go to the outbox; the rest are counted as outOfScope.
        var residents = await registry.GetAsync([.. ids.Distinct()], cancellationToken);
        var inScope = residents.Where(r => AdminResidentEndpoints.TryScope(user, r.PolicyId, r.Township, r.Village, out _)).Select(r => r.Id).ToList();
        var result = await reminders.RequestAsync(inScope, user.Identity?.Name ?? "", cancellationToken);
        var outside = ids.Distinct().Count() - inScope.Count;
        if (outside == 0)
        {
            return TypedResults.Ok(result);
        }

        var skipped = new Dictionary<string, int>(result.Skipped);
        skipped["outOfScope"] = skipped.GetValueOrDefault("outOfScope") + outside;
        return TypedResults.Ok(result with { Skipped = skipped });
    }

    internal static async Task<Results<FileContentHttpResult, NotFound, ForbidHttpResult>> Export(
        string table,
        string? policyId,
        string? township,
        string? village,
        ClaimsPrincipal user,
        PolicyCatalog policies,
        ProgressSnapshots snapshots,
        UnpaidResidents unpaid,
        AuditLog audit,
        PersonalDataProtector protector,
        ShareLinkStore links,
        ConsoleTexts texts,
        CancellationToken cancellationToken)
    {
        if (!TryResolve(user, policies, policyId, township, village, out var scope) || await snapshots.GetAsync(scope, cancellationToken) is not { } snapshot)
        {
            return TypedResults.Forbid();
        }

        var name = table.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? table[..^5] : table;
        (string[] Headers, IEnumerable<IReadOnlyList<object?>> Rows)? sheet = name switch
        {
            "areas" => (
                [texts["col.area"], texts["col.target"], texts["col.registered"], texts["col.paid"], texts["col.percent"]],
                snapshot.Areas.Select(a => (IReadOnlyList<object?>)[a.Name, a.Target, a.Registered, a.Paid, a.Percent])),
            "indicators" => (
                [texts["col.group"], texts["col.targetPercent"], texts["col.registered"], texts["col.paid"], texts["col.percent"], texts["col.met"]],
                snapshot.Indicators.Select(i => (IReadOnlyList<object?>)[i.Group, i.TargetPercent, i.Registered, i.Paid, i.Percent, i.Met ? texts["yes"] : texts["no"]])),
            "trend" => (
                [texts["col.day"], texts["col.payments"]],
                snapshot.Trend.Select(d => (IReadOnlyList<object?>)[d.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), d.Payments])),
            "links" => (
                [texts["col.code"], texts["col.township"], texts["col.village"], texts["col.createdBy"], texts["col.visits"], texts["col.follows"], texts["col.linkPayments"]],
                (await links.ListAsync(new ResidentScope(scope.PolicyId, scope.Township, scope.Village), cancellationToken))
                    .Select(l => (IReadOnlyList<object?>)[l.Link.Code, l.Link.Township, l.Link.Village, l.Link.CreatedBy, l.Visits, l.Follows, l.Payments])),
            "unpaid" when scope.Village is not null && protector.IsConfigured => await UnpaidSheetAsync(),
            _ => null,
        };
        if (sheet is not { } s)
        {
            return TypedResults.NotFound();
        }

        var bytes = ExcelExport.Write(texts["sheet." + name], s.Headers, s.Rows);
        return TypedResults.File(bytes, ExcelExport.ContentType, $"{name}.xlsx");

        async Task<(string[], IEnumerable<IReadOnlyList<object?>>)> UnpaidSheetAsync()
        {
            var rows = await unpaid.ListAsync(scope, snapshot.BenefitYear, cancellationToken);
            await audit.RecordReadsAsync(user.Identity?.Name ?? "", UnpaidAction + ".export", rows.Select(r => r.Id), cancellationToken);
            return (
                [texts["col.name"], texts["col.idNumber"], texts["col.categories"]],
                rows.Select(r => (IReadOnlyList<object?>)[r.Name, r.IdNumber, string.Join('、', r.Categories)]));
        }
    }
}
