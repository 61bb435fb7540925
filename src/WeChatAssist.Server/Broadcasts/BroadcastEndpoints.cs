using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>A broadcast to compose: a Scriban template over county, year, deadline, tiers (number, yuan),
/// channels, rendered in the safe context (no include or import, bounded loops, recursion and output); the audience;
/// when to send (now when omitted).</summary>
internal sealed record CreateBroadcastRequest(string? PolicyId, string? Title, string? Template, BroadcastAudience? Audience, DateTimeOffset? SendAt);

/// <summary>A broadcast with its delivery totals (outbox status → count), the first
/// <see cref="BroadcastEndpoints.MessageLimit"/> per-resident messages and, for a tag broadcast, how its followers
/// were split (in the mass send, a template message instead, left out).</summary>
internal sealed record BroadcastResponse(Broadcast Broadcast, IReadOnlyDictionary<string, long> Totals, IReadOnlyList<BroadcastMessage> Messages)
{
    /// <summary>A tag broadcast's followers per route; null for per-resident audiences.</summary>
    public FollowerRoutes? Followers { get; init; }
}

/// <summary>A tag to create: its name and which residents' followers to put in it (all, township, village, unpaid).</summary>
internal sealed record CreateBroadcastTagRequest(string? PolicyId, string? Name, BroadcastAudience? Audience);

/// <summary>One per-resident message of a broadcast.</summary>
internal sealed record BroadcastMessage(long Id, long? ResidentId, string Status, int? LastErrorCode, long? MsgId, DateTimeOffset? SentAt);

/// <summary>A broadcast rendered for a sample resident (or an ordinary adult when none is given).</summary>
internal sealed record BroadcastPreview(string Title, string Text, IReadOnlyDictionary<string, string> TemplateData);

/// <summary>How many per-resident messages a send queued.</summary>
internal sealed record BroadcastQueued(long Id, string Status, int Queued);

/// <summary><c>/api/v1/admin/broadcasts</c>: create, list, preview, approve (by a second bureau member), send, cancel, get.</summary>
internal static class BroadcastEndpoints
{
    /// <summary>The audit action of a preview for a sample resident (their birth date and categories are read).</summary>
    public const string PreviewAction = "broadcasts.preview";

    /// <summary>Most broadcasts the list returns.</summary>
    public const int ListLimit = 100;

    /// <summary>Most messages a get lists.</summary>
    public const int MessageLimit = 1000;

    /// <summary>WeChat's limit for a template message's thing keyword, which carries the rendered text per resident.</summary>
    internal const int TemplateTextLimit = 20;

    /// <summary>WeChat's limit for a tag name.</summary>
    private const int TagNameLimit = 30;

    public static IEndpointRouteBuilder MapBroadcasts(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/admin/broadcasts").WithTags("Broadcasts").RequireAuthorization(StaffClaims.BureauPolicy);
        group.MapPost("/", Create).WithName("BroadcastCreate");
        group.MapGet("/", List).WithName("BroadcastList");
        group.MapGet("/{id:long}", Get).WithName("BroadcastGet");
        group.MapGet("/{id:long}/preview", Preview).WithName("BroadcastPreview");
        group.MapPost("/{id:long}/approve", Approve).WithName("BroadcastApprove");
        group.MapPost("/{id:long}/send", Send).WithName("BroadcastSend");
        group.MapPost("/{id:long}/cancel", Cancel).WithName("BroadcastCancel");
        group.MapPost("/tags", CreateTag).WithName("BroadcastTagCreate");
        group.MapGet("/tags", ListTags).WithName("BroadcastTagList");
        return endpoints;
    }

    internal static async Task<Results<Created<BroadcastResponse>, ProblemHttpResult>> Create(
        CreateBroadcastRequest request, ClaimsPrincipal user, PolicyCatalog catalog, ReminderContent content, BroadcastStore store, BroadcastTags tags,
        BusinessClock clock, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
        var fixedPolicy = user.FindFirstValue(StaffClaims.PolicyId);
        var policyId = fixedPolicy ?? request.PolicyId;
        if (fixedPolicy is not null && request.PolicyId is { Length: > 0 } asked && asked != fixedPolicy)
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "scopeForbidden");
        }

        if (policyId is null || catalog.Find(policyId) is not { } policy)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "policyUnknown", ("policyId", policyId ?? ""));
        }

        var audience = request.Audience ?? new BroadcastAudience("all");
        var invalid = string.IsNullOrWhiteSpace(request.Title) ? "title is required"
            : string.IsNullOrWhiteSpace(request.Template) ? "template is required"
            : !BroadcastAudience.Kinds.Contains(audience.Kind) ? $"audience kind must be one of {string.Join(", ", BroadcastAudience.Kinds)}"
            : audience.Kind is "township" or "village" && string.IsNullOrWhiteSpace(audience.Township) ? "audience township is required"
            : audience.Kind == "village" && string.IsNullOrWhiteSpace(audience.Village) ? "audience village is required"
            : audience.Kind == "tag" && audience.TagId is null ? "audience tagId is required"
            : null;
        if (invalid is not null)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "broadcastInvalid", ("reason", invalid));
        }

        if (audience.IsTag && (tags.AccountFor(policy.Id) is not { } account || await tags.FindAsync(policy.Id, account.AppId, audience.TagId!.Value, cancellationToken) is null))
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "broadcastInvalid", ("reason", BroadcastSender.UnknownTag(audience.TagId!.Value)));
        }

        string rendered;
        try
        {
            rendered = content.RenderBroadcastText(policy, request.Template!, Ordinary, clock.Today());
        }
        catch (TemplateException e)
        {
            return TemplateProblem(texts, e);
        }

        if (!audience.IsTag && (rendered.Length > TemplateTextLimit || request.Title!.Trim().Length > TemplateTextLimit))
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "broadcastInvalid",
                ("reason", $"per-resident template messages hold at most {TemplateTextLimit} characters of title and of text; the text renders to {rendered.Length}"));
        }

        var now = clock.GetUtcNow();
        var id = await store.CreateAsync(policy.Id, request.Title!.Trim(), request.Template!, audience, request.SendAt ?? now, user.Identity?.Name ?? "", now, cancellationToken);
        var created = (await store.FindAsync(id, cancellationToken))!;
        return TypedResults.Created($"/api/v1/admin/broadcasts/{id}", new BroadcastResponse(created, new Dictionary<string, long>(), []));
    }

    internal static async Task<Results<Ok<BroadcastResponse>, ProblemHttpResult>> Get(
        long id, ClaimsPrincipal user, BroadcastStore store, BroadcastFollowers followers, DatabaseTarget database, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } broadcast)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "broadcastNotFound");
        }

        var provider = database.Provider;
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var count = database.DataSource.CreateCommand("SELECT status, COUNT(*) FROM reminder_outbox WHERE broadcast_id = @id GROUP BY status"))
        {
            count.AddParameter("@id", id);
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                totals[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var messages = new List<BroadcastMessage>();
        await using (var list = database.DataSource.CreateCommand($"SELECT id, resident_id, status, last_error_code, msgid, sent_at FROM reminder_outbox WHERE broadcast_id = @id ORDER BY id LIMIT {MessageLimit}"))
        {
            list.AddParameter("@id", id);
            await using var reader = await list.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                messages.Add(new BroadcastMessage(
                    reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetInstant(provider, 5)));
            }
        }

        return TypedResults.Ok(new BroadcastResponse(broadcast, totals, messages)
        {
            Followers = broadcast.Audience.IsTag ? await followers.RoutesAsync(id, cancellationToken) : null,
        });
    }

    internal static async Task<Results<Ok<BroadcastPreview>, ProblemHttpResult>> Preview(
        long id, long? residentId, ClaimsPrincipal user, BroadcastStore store, DatabaseTarget database, PolicyCatalog catalog, ReminderContent content,
        ReminderMessages messages, AuditLog audit, BusinessClock clock, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } broadcast)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "broadcastNotFound");
        }

        var policy = catalog.Get(broadcast.PolicyId);
        var facts = Ordinary;
        if (residentId is { } sample)
        {
            await using var command = database.DataSource.CreateCommand("SELECT birth_date, category_codes, paid_year FROM residents WHERE id = @id AND policy_id = @policy");
            command.AddParameter("@id", sample);
            command.AddParameter("@policy", policy.Id);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return texts.Problem(StatusCodes.Status404NotFound, "scopeForbidden");
            }

            await audit.RecordReadsAsync(user.Identity?.Name ?? "", PreviewAction, [sample], cancellationToken);
            facts = new ResidentFacts
            {
                BirthDate = reader.GetDate(database.Provider, 0),
                Categories = reader.GetString(1).Split(',', StringSplitOptions.RemoveEmptyEntries),
                PaidLastYear = reader.IsDBNull(2) ? null : Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture) >= policy.BenefitYear - 1,
            };
        }

        string text;
        try
        {
            text = content.RenderBroadcastText(policy, broadcast.Template, facts, clock.Today());
        }
        catch (TemplateException e)
        {
            return TemplateProblem(texts, e);
        }

        var data = messages.Render(ReminderKinds.Broadcast, new Dictionary<string, object?> { ["title"] = broadcast.Title, ["text"] = text }).Data;
        return TypedResults.Ok(new BroadcastPreview(broadcast.Title, text, data));
    }

    internal static async Task<Results<Ok<BroadcastResponse>, ProblemHttpResult>> Approve(
        long id, ClaimsPrincipal user, BroadcastStore store, BusinessClock clock, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, PolicyCatalog catalog, ReminderContent content,
        CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } broadcast)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "broadcastNotFound");
        }

        // A draft saved before templates were Scriban (or under other limits) is checked again: nothing that cannot
        // render is approved, so nothing that cannot render is ever scheduled.
        try
        {
            content.RenderBroadcastText(catalog.Get(broadcast.PolicyId), broadcast.Template, Ordinary, clock.Today());
        }
        catch (TemplateException e)
        {
            return TemplateProblem(texts, e);
        }

        var approver = user.Identity?.Name ?? "";
        if (string.Equals(approver, broadcast.CreatedBy, StringComparison.Ordinal))
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "broadcastSelfApproval");
        }

        var set = new Dictionary<string, object?> { ["approved_by"] = approver, ["approved_at"] = clock.GetUtcNow() };
        if (!await store.TransitionAsync(id, [BroadcastStatus.Draft], BroadcastStatus.Approved, set, cancellationToken))
        {
            return texts.Problem(StatusCodes.Status409Conflict, "broadcastState", ("status", broadcast.Status));
        }

        return TypedResults.Ok(new BroadcastResponse((await store.FindAsync(id, cancellationToken))!, new Dictionary<string, long>(), []));
    }

    internal static async Task<Results<Ok<BroadcastQueued>, ProblemHttpResult>> Send(
        long id, ClaimsPrincipal user, BroadcastStore store, BroadcastSender sender, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } broadcast)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "broadcastNotFound");
        }

        if (await sender.QueueAsync(broadcast, cancellationToken) is not { } queued)
        {
            return texts.Problem(StatusCodes.Status409Conflict, "broadcastState", ("status", broadcast.Status));
        }

        var after = (await store.FindAsync(id, cancellationToken))!;
        return TypedResults.Ok(new BroadcastQueued(id, after.Status, queued));
    }

    internal static async Task<Results<Ok<BroadcastResponse>, ProblemHttpResult>> Cancel(
        long id, ClaimsPrincipal user, BroadcastStore store, BroadcastSender sender, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } broadcast)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "broadcastNotFound");
        }

        if (!await sender.CancelAsync(broadcast, user.Identity?.Name ?? "", cancellationToken))
        {
            return texts.Problem(StatusCodes.Status409Conflict, "broadcastState", ("status", broadcast.Status));
        }

        return TypedResults.Ok(new BroadcastResponse((await store.FindAsync(id, cancellationToken))!, new Dictionary<string, long>(), []));
    }

    internal static async Task<Results<Created<BroadcastTagCreated>, ProblemHttpResult>> CreateTag(
        CreateBroadcastTagRequest request, ClaimsPrincipal user, PolicyCatalog catalog, BroadcastTags tags, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
        var fixedPolicy = user.FindFirstValue(StaffClaims.PolicyId);
        if (fixedPolicy is not null && request.PolicyId is { Length: > 0 } asked && asked != fixedPolicy)
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "scopeForbidden");
        }

        var policyId = fixedPolicy ?? request.PolicyId;
        if (policyId is null || catalog.Find(policyId) is not { } policy)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "policyUnknown", ("policyId", policyId ?? ""));
        }

        var audience = request.Audience ?? new BroadcastAudience("all");
        var invalid = string.IsNullOrWhiteSpace(request.Name) ? "name is required"
            : request.Name.Trim().Length > TagNameLimit ? $"a tag name holds at most {TagNameLimit} characters"
            : audience.IsTag || !BroadcastAudience.Kinds.Contains(audience.Kind) ? "audience kind must be one of all, township, village, unpaid"
            : audience.Kind is "township" or "village" && string.IsNullOrWhiteSpace(audience.Township) ? "audience township is required"
            : audience.Kind == "village" && string.IsNullOrWhiteSpace(audience.Village) ? "audience village is required"
            : null;
        if (invalid is not null)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "broadcastInvalid", ("reason", invalid));
        }

        if (tags.AccountFor(policy.Id) is not { } account)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "broadcastInvalid", ("reason", $"no WeChat account is configured for policy '{policy.Id}'"));
        }

        var (created, error) = await tags.CreateAsync(policy, account, request.Name!.Trim(), audience, user.Identity?.Name ?? "", cancellationToken);
        if (created is null)
        {
            return texts.Problem(StatusCodes.Status502BadGateway, "broadcastTagRefused", ("code", error!.ErrorCode), ("message", error.ErrorMessage));
        }

        return TypedResults.Created($"/api/v1/admin/broadcasts/tags?policyId={Uri.EscapeDataString(policy.Id)}", created);
    }

    /// <summary>422 naming where the template is wrong: the detail says it in words, <c>line</c> and <c>column</c>
    /// (1-based) say it to the console, which marks the spot.</summary>
    private static ProblemHttpResult TemplateProblem(ProblemTexts texts, TemplateException e)
    {
        var problem = texts.Problem(StatusCodes.Status422UnprocessableEntity, "broadcastTemplate", ("line", e.Line), ("column", e.Column), ("reason", e.Reason));
        problem.ProblemDetails.Extensions["line"] = e.Line;
        problem.ProblemDetails.Extensions["column"] = e.Column;
        return problem;
    }

    /// <summary>The newest broadcasts (at most <see cref="ListLimit"/>) of the policy, or of every policy for a bureau
    /// member without a fixed county who names none.</summary>
    internal static async Task<Results<Ok<IReadOnlyList<Broadcast>>, ProblemHttpResult>> List(
        string? policyId, ClaimsPrincipal user, PolicyCatalog catalog, BroadcastStore store, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
        var fixedPolicy = user.FindFirstValue(StaffClaims.PolicyId);
        if (fixedPolicy is not null && policyId is { Length: > 0 } && policyId != fixedPolicy)
        {
            return texts.Problem(StatusCodes.Status403Forbidden, "scopeForbidden");
        }

        var id = fixedPolicy ?? (string.IsNullOrEmpty(policyId) ? null : policyId);
        if (id is not null && catalog.Find(id) is null)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "policyUnknown", ("policyId", id));
        }

        return TypedResults.Ok(await store.ListAsync(id, ListLimit, cancellationToken));
    }

    internal static async Task<Results<Ok<IReadOnlyList<BroadcastTag>>, ProblemHttpResult>> ListTags(
        string? policyId, ClaimsPrincipal user, PolicyCatalog catalog, BroadcastTags tags, [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts texts, CancellationToken cancellationToken)
    {
        var id = user.FindFirstValue(StaffClaims.PolicyId) ?? policyId;
        if (id is null || catalog.Find(id) is null)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "policyUnknown", ("policyId", id ?? ""));
        }

        IReadOnlyList<BroadcastTag> list = tags.AccountFor(id) is { } account ? await tags.ListAsync(id, account.AppId, cancellationToken) : [];
        return TypedResults.Ok(list);
    }

    /// <summary>The sample resident a broadcast is rendered for when no one in particular is chosen: an ordinary adult.</summary>
    internal static ResidentFacts Ordinary { get; } = new() { BirthDate = new DateOnly(1980, 1, 1) };

    private static async Task<Broadcast?> FindInScopeAsync(long id, ClaimsPrincipal user, BroadcastStore store, CancellationToken cancellationToken)
    {
        var broadcast = await store.FindAsync(id, cancellationToken);
        var fixedPolicy = user.FindFirstValue(StaffClaims.PolicyId);
        return broadcast is not null && (fixedPolicy is null || fixedPolicy == broadcast.PolicyId) ? broadcast : null;
    }
}
