using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Residents;
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

/// <summary>A broadcast rendered for a sample resident (or an ordinary adult when none is given).</summary>
internal sealed record BroadcastPreview(string Title, string Text, IReadOnlyDictionary<string, string> TemplateData);

/// <summary>How many per-resident messages a send queued.</summary>
internal sealed record BroadcastQueued(long Id, string Status, int Queued);

/// <summary>What the broadcast endpoints use, bundled (bound with <c>[AsParameters]</c>) so a handler's signature names
/// only what the request carries.</summary>
internal sealed record BroadcastServices(
    BroadcastStore Store,
    BroadcastApproval Approval,
    BroadcastSender Sender,
    BroadcastTags Tags,
    BroadcastFollowers Followers,
    ReminderOutbox Outbox,
    ResidentRegistry Residents,
    PolicyCatalog Catalog,
    ReminderContent Content,
    ReminderMessages Messages,
    AuditLog Audit,
    BusinessClock Clock,
    [FromKeyedServices(ProblemTextKeys.Reminders)] ProblemTexts Texts);

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
        CreateBroadcastRequest request, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        var (catalog, content, store, tags, clock, texts) = (services.Catalog, services.Content, services.Store, services.Tags, services.Clock, services.Texts);
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
        long id, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        if (await FindInScopeAsync(id, user, services.Store, cancellationToken) is not { } broadcast)
        {
            return services.Texts.Problem(StatusCodes.Status404NotFound, "broadcastNotFound");
        }

        var totals = await services.Outbox.BroadcastTotalsAsync(id, cancellationToken);
        var messages = await services.Outbox.BroadcastMessagesAsync(id, MessageLimit, cancellationToken);
        return TypedResults.Ok(new BroadcastResponse(broadcast, totals, messages)
        {
            Followers = broadcast.Audience.IsTag ? await services.Followers.RoutesAsync(id, cancellationToken) : null,
        });
    }

    internal static async Task<Results<Ok<BroadcastPreview>, ProblemHttpResult>> Preview(
        long id, long? residentId, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        var (content, messages, clock, texts) = (services.Content, services.Messages, services.Clock, services.Texts);
        if (await FindInScopeAsync(id, user, services.Store, cancellationToken) is not { } broadcast)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "broadcastNotFound");
        }

        var policy = services.Catalog.Get(broadcast.PolicyId);
        var facts = Ordinary;
        if (residentId is { } sample)
        {
            if ((await services.Residents.GetAsync([sample], cancellationToken)).SingleOrDefault(r => r.PolicyId == policy.Id) is not { } resident)
            {
                return texts.Problem(StatusCodes.Status404NotFound, "scopeForbidden");
            }

            await services.Audit.RecordReadsAsync(user.Identity?.Name ?? "", PreviewAction, [sample], cancellationToken);
            facts = new ResidentFacts
            {
                BirthDate = resident.BirthDate,
                Categories = resident.CategoryCodes,
                PaidLastYear = resident.PaidYear is { } paid ? paid >= policy.BenefitYear - 1 : null,
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
        long id, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        var (store, texts) = (services.Store, services.Texts);
        if (await FindInScopeAsync(id, user, store, cancellationToken) is not { } broadcast)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "broadcastNotFound");
        }

        BroadcastApprovalOutcome outcome;
        try
        {
            outcome = await services.Approval.ApproveAsync(broadcast, user.Identity?.Name ?? "", cancellationToken);
        }
        catch (TemplateException e)
        {
            return TemplateProblem(texts, e);
        }

        return outcome switch
        {
            BroadcastApprovalOutcome.SelfApproval => texts.Problem(StatusCodes.Status403Forbidden, "broadcastSelfApproval"),
            BroadcastApprovalOutcome.NotDraft => texts.Problem(StatusCodes.Status409Conflict, "broadcastState", ("status", broadcast.Status)),
            _ => TypedResults.Ok(new BroadcastResponse((await store.FindAsync(id, cancellationToken))!, new Dictionary<string, long>(), [])),
        };
    }

    internal static async Task<Results<Ok<BroadcastQueued>, ProblemHttpResult>> Send(
        long id, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        var (store, sender, texts) = (services.Store, services.Sender, services.Texts);
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
        long id, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        var (store, sender, texts) = (services.Store, services.Sender, services.Texts);
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
        CreateBroadcastTagRequest request, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        var (catalog, tags, texts) = (services.Catalog, services.Tags, services.Texts);
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
        string? policyId, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        var (catalog, store, texts) = (services.Catalog, services.Store, services.Texts);
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
        string? policyId, ClaimsPrincipal user, [AsParameters] BroadcastServices services, CancellationToken cancellationToken)
    {
        var (catalog, tags, texts) = (services.Catalog, services.Tags, services.Texts);
        var id = user.FindFirstValue(StaffClaims.PolicyId) ?? policyId;
        if (id is null || catalog.Find(id) is null)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "policyUnknown", ("policyId", id ?? ""));
        }

        IReadOnlyList<BroadcastTag> list = tags.AccountFor(id) is { } account ? await tags.ListAsync(id, account.AppId, cancellationToken) : [];
        return TypedResults.Ok(list);
    }

    /// <summary>The sample resident a broadcast is rendered for when no one in particular is chosen: an ordinary adult.</summary>
    internal static ResidentFacts Ordinary => BroadcastApproval.OrdinaryResident;

    private static async Task<Broadcast?> FindInScopeAsync(long id, ClaimsPrincipal user, BroadcastStore store, CancellationToken cancellationToken)
    {
        var broadcast = await store.FindAsync(id, cancellationToken);
        var fixedPolicy = user.FindFirstValue(StaffClaims.PolicyId);
        return broadcast is not null && (fixedPolicy is null || fixedPolicy == broadcast.PolicyId) ? broadcast : null;
    }
}
