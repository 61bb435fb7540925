using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Csv;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Reminders;

/// <summary>A rule as the rules endpoint lists it.</summary>
internal sealed record ReminderRuleResponse(string Id, string Kind, DateOnly? DueDate, int DaysBefore, DateOnly? SendOn, IReadOnlyList<string> Cites);

/// <summary>Failed rows to retry; all failed rows in the caller's scope when <see cref="Ids"/> is empty.</summary>
internal sealed record RetryRequest(IReadOnlyList<long>? Ids);

/// <summary>How many rows went back to pending.</summary>
internal sealed record RetryResponse(int Retried);

/// <summary>Residents a staff member asks to remind now.</summary>
internal sealed record StaffReminderRequest(IReadOnlyList<long>? ResidentIds);

/// <summary>Reminder choices per kind (true: wanted).</summary>
internal sealed record ReminderPreferencesBody(IReadOnlyDictionary<string, bool>? Kinds);

/// <summary>What the reminder endpoints use, bundled (bound with <c>[AsParameters]</c>) so a handler's signature names
/// only what the request carries.</summary>
internal sealed record ReminderServices(
    PolicyCatalog Catalog,
    RemindersOptions Options,
    [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts Texts,
    ReminderOutbox Outbox,
    ReminderPlanner Planner,
    ReminderRetry Retry,
    IStaffReminderRequests Requests,
    ReminderPreferences Preferences);

/// <summary><c>/api/v1/admin/reminders</c> (rules, plan, summary, retry, failed.csv, staff requests) and
/// <c>/api/v1/mp/reminder-preferences</c>.</summary>
internal static class ReminderEndpoints
{
    public static IEndpointRouteBuilder MapReminders(this IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/v1/admin/reminders").WithTags("Reminders");
        admin.MapGet("/rules", Rules).WithName("ReminderRules").RequireAuthorization(StaffClaims.VillagePolicy);
        admin.MapPost("/plan", Plan).WithName("ReminderPlan").RequireAuthorization(StaffClaims.BureauPolicy);
        admin.MapGet("/summary", Summary).WithName("ReminderSummary").RequireAuthorization(StaffClaims.TownshipPolicy);
        admin.MapPost("/retry", Retry).WithName("ReminderRetry").RequireAuthorization(StaffClaims.BureauPolicy);
        admin.MapGet("/failed.csv", FailedCsv).WithName("ReminderFailedCsv").RequireAuthorization(StaffClaims.BureauPolicy);
        admin.MapPost("/requests", Request).WithName("ReminderStaffRequest").RequireAuthorization(StaffClaims.VillagePolicy);

        var mp = endpoints.MapGroup("/api/v1/mp").WithTags("MiniProgram");
        mp.MapGet("/reminder-preferences", GetPreferences).WithName("MiniProgramReminderPreferences").RequireAuthorization(MiniProgramAuthentication.PolicyName);
        mp.MapPut("/reminder-preferences", SetPreferences).WithName("MiniProgramSetReminderPreferences").RequireAuthorization(MiniProgramAuthentication.PolicyName);
        return endpoints;
    }

    internal static Results<Ok<ReminderRuleResponse[]>, ProblemHttpResult> Rules(string? policyId, ClaimsPrincipal user, [AsParameters] ReminderServices services)
    {
        var (catalog, options, texts) = (services.Catalog, services.Options, services.Texts);
        var id = string.IsNullOrWhiteSpace(policyId) ? user.FindFirstValue(StaffClaims.PolicyId) : policyId.Trim();
        if (id is null || catalog.Find(id) is not { } policy)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "policyUnknown", ("policyId", id ?? ""));
        }

        return TypedResults.Ok(ReminderRules.For(policy, options).Select(r => new ReminderRuleResponse(r.Id, r.Kind, r.DueDate, r.DaysBefore, r.SendOn, r.Cites)).ToArray());
    }

    internal static async Task<Ok<IReadOnlyList<PlannedRule>>> Plan([AsParameters] ReminderServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(await services.Planner.PlanAsync(cancellationToken));

    internal static async Task<Ok<ReminderCount[]>> Summary(ClaimsPrincipal user, [AsParameters] ReminderServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok((await services.Outbox.CountAsync(CountyScope(user, services.Catalog), cancellationToken)).ToArray());

    internal static async Task<Ok<RetryResponse>> Retry(RetryRequest? request, ClaimsPrincipal user, [AsParameters] ReminderServices services, CancellationToken cancellationToken) =>
        TypedResults.Ok(new RetryResponse(await services.Retry.RetryAsync(CountyScope(user, services.Catalog), request?.Ids ?? [], cancellationToken)));

    internal static async Task<FileContentHttpResult> FailedCsv(ClaimsPrincipal user, [AsParameters] ReminderServices services, CancellationToken cancellationToken)
    {
        var csv = new CsvWriter().Row("id", "policy_id", "rule", "kind", "resident_id", "channel", "attempts", "last_error_code", "last_error", "created_at");
        foreach (var row in await services.Outbox.FailedAsync(CountyScope(user, services.Catalog), cancellationToken))
        {
            object?[] values = [row.Id, row.PolicyId, row.Rule, row.Kind, row.ResidentId, row.Channel, row.Attempts, row.LastErrorCode, row.LastError];
            foreach (var value in values)
            {
                csv.Cell(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
            }

            csv.Cell(row.CreatedAt.ToString("O", CultureInfo.InvariantCulture)).EndRow();
        }

        return TypedResults.File(csv.ToUtf8WithBom(), CsvWriter.ContentType, "reminders-failed.csv");
    }

    internal static async Task<Results<Ok<StaffReminderResult>, ProblemHttpResult>> Request(
        StaffReminderRequest request, ClaimsPrincipal user, [AsParameters] ReminderServices services, CancellationToken cancellationToken)
    {
        var (requests, options, texts) = (services.Requests, services.Options, services.Texts);
        var ids = request.ResidentIds ?? [];
        if (ids.Count == 0)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "residentsEmpty");
        }

        if (ids.Distinct().Count() > options.MaxStaffRequestResidents)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "tooManyResidents", ("limit", options.MaxStaffRequestResidents));
        }

        return TypedResults.Ok(await requests.RequestAsync([.. ids], user.Identity?.Name ?? "", cancellationToken));
    }

    internal static async Task<Ok<IReadOnlyDictionary<string, bool>>> GetPreferences(ClaimsPrincipal user, [AsParameters] ReminderServices services, CancellationToken cancellationToken)
    {
        var preferences = services.Preferences;
        var session = MiniProgramAuthentication.Session(user);
        var stated = await preferences.GetAsync(session.AppId, session.OpenId, cancellationToken);
        return TypedResults.Ok<IReadOnlyDictionary<string, bool>>(ReminderKinds.All.ToDictionary(k => k, k => stated.GetValueOrDefault(k, true), StringComparer.Ordinal));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> SetPreferences(
        ReminderPreferencesBody body, ClaimsPrincipal user, [AsParameters] ReminderServices services, CancellationToken cancellationToken)
    {
        var (preferences, texts) = (services.Preferences, services.Texts);
        if (body.Kinds is not { Count: > 0 } kinds)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "preferencesEmpty");
        }

        if (kinds.Keys.FirstOrDefault(k => !ReminderKinds.IsKnown(k)) is { } unknown)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "kindUnknown", ("kind", unknown));
        }

        var session = MiniProgramAuthentication.Session(user);
        await preferences.SetAsync(session.AppId, session.OpenId, kinds, cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The rows a staff member with a county sees and retries: every loaded year of that county, since a
    /// published later year reminds the residents registered under the earlier one (<see cref="ReminderAudiences"/>);
    /// null (every county) for staff without one.</summary>
    private static IReadOnlyList<string>? CountyScope(ClaimsPrincipal user, PolicyCatalog catalog) =>
        user.FindFirstValue(StaffClaims.PolicyId) is not { } id ? null
        : catalog.Find(id) is { } policy ? ReminderAudiences.County(catalog, policy)
        : [id];
}
