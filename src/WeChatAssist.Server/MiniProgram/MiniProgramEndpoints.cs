using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Policies;
using WeChatAssist.Server.Residents;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.MiniProgram;

/// <summary><c>/api/v1/mp</c>: mini-program sign-in, identity binding and the bound people's standing.</summary>
internal static partial class MiniProgramEndpoints
{
    public static IEndpointRouteBuilder MapMiniProgram(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/mp").WithTags("MiniProgram").AddEndpointFilter<PersonalDataGate>();
        group.MapPost("/session", CreateSession).WithName("MiniProgramSession");
        group.MapPost("/bindings", Bind).WithName("MiniProgramBind").RequireAuthorization(MiniProgramAuthentication.PolicyName);
        group.MapGet("/me", Me).WithName("MiniProgramMe").RequireAuthorization(MiniProgramAuthentication.PolicyName);
        endpoints.MapPaymentStart();
        endpoints.MapFollowerBackfill();
        return endpoints;
    }

    internal static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> CreateSession(
        SessionRequest request,
        IWeChatApiClient wechat,
        IOptionsMonitor<WeChatOptions> wechatOptions,
        IOptions<MiniProgramOptions> options,
        MiniProgramSessions sessions,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        ILogger<MiniProgramSessions> logger,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Code))
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "sessionCodeMissing");
        }

        if (request.Account is null || !wechatOptions.CurrentValue.Accounts.TryGetValue(request.Account, out var account) || account is null)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "sessionAccountUnknown");
        }

        var result = await wechat.CodeToSessionAsync(request.Account, request.Code, cancellationToken);
        if (!result.IsSuccess)
        {
            LogCodeRejected(logger, request.Account, result.Error!.ErrorCode, result.Error.ErrorMessage);
            return result.Error.Class == WeChatErrorClass.Transient
                ? texts.Problem(StatusCodes.Status503ServiceUnavailable, "sessionUnavailable")
                : texts.Problem(StatusCodes.Status401Unauthorized, "sessionRejected");
        }

        var (token, expiresAt) = await sessions.CreateAsync(request.Account, account.AppId, result.Value, options.Value.SessionLifetime, cancellationToken);
        return TypedResults.Ok(new SessionResponse(token, expiresAt));
    }

    internal static async Task<Results<Created<BoundPersonResponse>, ProblemHttpResult>> Bind(
        BindingRequest request,
        ClaimsPrincipal user,
        IOptionsMonitor<WeChatOptions> wechatOptions,
        IOptions<MiniProgramOptions> options,
        BindingStore bindings,
        ResidentRegistry registry,
        BusinessClock businessClock,
        TimeProvider clock,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        var o = options.Value;
        var session = MiniProgramAuthentication.Session(user);
        var policyId = wechatOptions.CurrentValue.Accounts.TryGetValue(session.Account, out var account) ? account.PolicyId : "";

        BindingRelation? relation = request.Relation switch
        {
            null or "" or "self" => BindingRelation.Self,
            "family" => BindingRelation.Family,
            _ => null,
        };
        if (relation is null)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "relationInvalid");
        }

        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "nameMissing");
        }

        // The attempt is counted as a failure before anything is checked, so a burst of parallel requests cannot
        // slip more than MaxFailedBindings guesses under the limit; a locked user learns nothing about any number.
        var now = clock.GetUtcNow();
        var (attempt, failures, oldest) = await bindings.BeginAttemptAsync(session.AppId, session.OpenId, now - o.FailureWindow, cancellationToken);
        if (failures > o.MaxFailedBindings)
        {
            await bindings.ForgetAsync(attempt, cancellationToken);
            var minutes = Math.Max(1, (int)Math.Ceiling((oldest!.Value + o.FailureWindow - now).TotalMinutes));
            return texts.Problem(StatusCodes.Status429TooManyRequests, "bindingLocked", ("minutes", minutes));
        }

        if (!ResidentIdNumber.TryParse(request.IdNumber, businessClock.Today(), out var idNumber, out var error))
        {
            return texts.Problem(StatusCodes.Status400BadRequest, error.TextKey());
        }

        // One answer for "no such number" and "name does not match", so the reply does not reveal registered numbers.
        var resident = await registry.FindAsync(policyId, idNumber.Value, cancellationToken);
        if (resident is null || !string.Equals(resident.Name, ResidentRegistry.NormaliseName(request.Name), StringComparison.Ordinal))
        {
            return texts.Problem(StatusCodes.Status422UnprocessableEntity, "bindingNotMatched");
        }

        var existing = await bindings.ListAsync(session.AppId, session.OpenId, session.UnionId, cancellationToken);
        var conflict = existing.Any(b => b.ResidentId == resident.Id) ? texts.Problem(StatusCodes.Status409Conflict, "bindingExists")
            : relation == BindingRelation.Self && existing.Any(b => b.Relation == BindingRelation.Self) ? texts.Problem(StatusCodes.Status409Conflict, "selfExists")
            : relation == BindingRelation.Family && existing.Count(b => b.Relation == BindingRelation.Family) >= o.FamilyLimit
                ? texts.Problem(StatusCodes.Status409Conflict, "familyLimit", ("limit", o.FamilyLimit))
            : null;
        if (conflict is not null)
        {
            // The person proved who they are; a conflict is not a failed guess.
            await bindings.MarkSucceededAsync(attempt, cancellationToken);
            return conflict;
        }

        var id = await bindings.AddAsync(session.AppId, session.OpenId, session.UnionId, resident.Id, relation.Value, attempt, cancellationToken);
        var body = new BoundPersonResponse(id, RelationName(relation.Value), PersonalDataMask.Name(resident.Name), PersonalDataMask.IdNumber(resident.IdNumber), resident.PolicyId);
        return TypedResults.Created("/api/v1/mp/me", body);
    }

    internal static async Task<Ok<MeResponse>> Me(
        ClaimsPrincipal user,
        IOptions<MiniProgramOptions> options,
        BindingStore bindings,
        ResidentRegistry registry,
        PolicyCatalog catalog,
        BusinessClock clock,
        CancellationToken cancellationToken)
    {
        var session = MiniProgramAuthentication.Session(user);
        var today = clock.Today();
        var bound = await bindings.ListAsync(session.AppId, session.OpenId, session.UnionId, cancellationToken);
        var residents = (await registry.GetAsync([.. bound.Select(b => b.ResidentId)], cancellationToken)).ToDictionary(r => r.Id);
        var people = new List<PersonStatusResponse>();
        foreach (var binding in bound)
        {
            if (!residents.TryGetValue(binding.ResidentId, out var resident))
            {
                continue;
            }

            // The county's next benefit year (a published notice) once its collection has opened.
            var policy = catalog.Current(resident.PolicyId, today);
            var benefitYear = policy?.BenefitYear ?? 0;
            var paid = policy is not null && resident.PaidYear == benefitYear;
            var quotes = new List<QuoteResponse>();
            if (policy is not null)
            {
                // The registry's facts; the resident has not chosen a tier, so each tier is quoted for them to compare.
                var facts = ResidentQuoteFacts.For(resident, policy);
                quotes.AddRange(policy.Tiers.Select(t => QuoteResponse.From(policy.Quote(facts with { Tier = t.Number }, today))));
            }

            people.Add(new PersonStatusResponse(
                binding.Id,
                resident.Id,
                RelationName(binding.Relation),
                PersonalDataMask.Name(resident.Name),
                PersonalDataMask.IdNumber(resident.IdNumber),
                resident.PolicyId,
                benefitYear,
                paid ? "paid" : "unpaid",
                paid ? resident.PaidOn : null,
                quotes));
        }

        return TypedResults.Ok(new MeResponse(today, options.Value.FamilyLimit, people));
    }

    private static string RelationName(BindingRelation relation) => relation == BindingRelation.Self ? "self" : "family";

    [LoggerMessage(Level = LogLevel.Warning, Message = "WeChat rejected a mini-program login code for account '{Account}' with error {ErrorCode}: {ErrorMessage}.")]
    private static partial void LogCodeRejected(ILogger logger, string account, int errorCode, string errorMessage);
}
