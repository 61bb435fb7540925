using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Csv;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.MiniProgram;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Reminders;

/// <summary>A rule as the rules endpoint lists it.</summary>
internal sealed record ReminderRuleResponse(string Id, string Kind, DateOnly? DueDate, int DaysBefore, DateOnly? SendOn, IReadOnlyList<string> Cites);

/// <summary>Counts of one kind and status.</summary>
internal sealed record ReminderCount(string Kind, string Status, long Count);

/// <summary>Failed rows to retry; all failed rows in the caller's scope when <see cref="Ids"/> is empty.</summary>
internal sealed record RetryRequest(IReadOnlyList<long>? Ids);

/// <summary>How many rows went back to pending.</summary>
internal sealed record RetryResponse(int Retried);

/// <summary>Residents a staff member asks to remind now.</summary>
internal sealed record StaffReminderRequest(IReadOnlyList<long>? ResidentIds);

/// <summary>Reminder choices per kind (true: wanted).</summary>
internal sealed record ReminderPreferencesBody(IReadOnlyDictionary<string, bool>? Kinds);

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

    internal static Results<Ok<ReminderRuleResponse[]>, ProblemHttpResult> Rules(string? policyId, ClaimsPrincipal user, PolicyCatalog catalog, RemindersOptions options, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts)
    {
        var id = string.IsNullOrWhiteSpace(policyId) ? user.FindFirstValue(StaffClaims.PolicyId) : policyId.Trim();
        if (id is null || catalog.Find(id) is not { } policy)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "policyUnknown", ("policyId", id ?? ""));
        }

        return TypedResults.Ok(ReminderRules.For(policy, options).Select(r => new ReminderRuleResponse(r.Id, r.Kind, r.DueDate, r.DaysBefore, r.SendOn, r.Cites)).ToArray());
    }

    internal static async Task<Ok<IReadOnlyList<PlannedRule>>> Plan(ReminderPlanner planner, CancellationToken cancellationToken) =>
        TypedResults.Ok(await planner.PlanAsync(cancellationToken));

    internal static async Task<Ok<ReminderCount[]>> Summary(ClaimsPrincipal user, DatabaseTarget database, CancellationToken cancellationToken)
    {
        var policyId = user.FindFirstValue(StaffClaims.PolicyId);
        await using var command = database.DataSource.CreateCommand(
            "SELECT kind, status, COUNT(*) FROM reminder_outbox" + (policyId is null ? "" : " WHERE policy_id = @policy") + " GROUP BY kind, status ORDER BY kind, status");
        command.AddParameter("@policy", policyId);
        var counts = new List<ReminderCount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts.Add(new ReminderCount(reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return TypedResults.Ok(counts.ToArray());
    }

    internal static async Task<Ok<RetryResponse>> Retry(RetryRequest? request, ClaimsPrincipal user, DatabaseTarget database, BusinessClock clock, CancellationToken cancellationToken)
    {
        var policyId = user.FindFirstValue(StaffClaims.PolicyId);
        await using var command = database.DataSource.CreateCommand();
        var ids = request?.Ids ?? [];
        var only = ids.Count == 0 ? "" : " AND id IN " + OutboxSql.InList(command, "id", ids, id => id);
        command.CommandText = "UPDATE reminder_outbox SET status = 'pending', attempts = 0, send_after = @now, last_error = NULL, last_error_code = NULL WHERE status = 'failed'"
            + (policyId is null ? "" : " AND policy_id = @policy") + only;
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        command.AddParameter("@policy", policyId);
        return TypedResults.Ok(new RetryResponse(await command.ExecuteNonQueryAsync(cancellationToken)));
    }

    internal static async Task<FileContentHttpResult> FailedCsv(ClaimsPrincipal user, DatabaseTarget database, CancellationToken cancellationToken)
    {
        var policyId = user.FindFirstValue(StaffClaims.PolicyId);
        await using var command = database.DataSource.CreateCommand(
            "SELECT id, policy_id, rule, kind, resident_id, channel, attempts, last_error_code, last_error, created_at FROM reminder_outbox WHERE status = 'failed'"
            + (policyId is null ? "" : " AND policy_id = @policy") + " ORDER BY id");
        command.AddParameter("@policy", policyId);
        var csv = new CsvWriter().Row("id", "policy_id", "rule", "kind", "resident_id", "channel", "attempts", "last_error_code", "last_error", "created_at");
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < 9; i++)
                {
                    csv.Cell(reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "");
                }

                csv.Cell(reader.GetInstant(database.Provider, 9).ToString("O", CultureInfo.InvariantCulture)).EndRow();
            }
        }

        return TypedResults.File(csv.ToUtf8WithBom(), CsvWriter.ContentType, "reminders-failed.csv");
    }

    internal static async Task<Results<Ok<StaffReminderResult>, ProblemHttpResult>> Request(
        StaffReminderRequest request, ClaimsPrincipal user, IStaffReminderRequests requests, RemindersOptions options, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
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

    internal static async Task<Ok<IReadOnlyDictionary<string, bool>>> GetPreferences(ClaimsPrincipal user, ReminderPreferences preferences, CancellationToken cancellationToken)
    {
        var session = MiniProgramAuthentication.Session(user);
        var stated = await preferences.GetAsync(session.AppId, session.OpenId, cancellationToken);
        return TypedResults.Ok<IReadOnlyDictionary<string, bool>>(ReminderKinds.All.ToDictionary(k => k, k => stated.GetValueOrDefault(k, true), StringComparer.Ordinal));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> SetPreferences(
        ReminderPreferencesBody body, ClaimsPrincipal user, ReminderPreferences preferences, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
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
}
