using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.MiniProgram;

/// <summary><c>POST /api/v1/mp/payments</c>: which person and tier.</summary>
internal sealed record PaymentStartRequest(long ResidentId, int? Tier);

/// <summary>What the mini-program opens: another mini-program (app id, path) or a web page (URL).</summary>
internal sealed record PaymentChannelResponse(string Kind, string Name, string? AppId, string? Path, string? EnvVersion, string? Url);

/// <summary>The amount due today from the policy engine, and the county's channel to pay it through. We never take money.</summary>
internal sealed record PaymentStartResponse(
    long IntentId,
    long ResidentId,
    string Name,
    string PolicyId,
    int BenefitYear,
    int? Tier,
    long AmountFen,
    string Amount,
    DateOnly? Deadline,
    DateOnly? BenefitStart,
    PaymentChannelResponse Channel,
    string Notice);

/// <summary>Starts a payment: the quote for paying today decides whether and how much; the configured channel decides where.</summary>
internal static class PaymentStartEndpoints
{
    public static IEndpointRouteBuilder MapPaymentStart(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/v1/mp").WithTags("MiniProgram")
            .AddEndpointFilter<PersonalDataGate>()
            .MapPost("/payments", Start).WithName("MiniProgramStartPayment").RequireAuthorization(MiniProgramAuthentication.PolicyName);
        return endpoints;
    }

    internal static async Task<Results<Created<PaymentStartResponse>, ProblemHttpResult>> Start(
        PaymentStartRequest request,
        ClaimsPrincipal user,
        BindingStore bindings,
        ResidentRegistry registry,
        PaymentIntentStore intents,
        PolicyCatalog catalog,
        BusinessClock clock,
        IOptions<MiniProgramOptions> options,
        [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts,
        CancellationToken cancellationToken)
    {
        var session = MiniProgramAuthentication.Session(user);
        var bound = await bindings.ListAsync(session.AppId, session.OpenId, session.UnionId, cancellationToken);
        var resident = bound.Any(b => b.ResidentId == request.ResidentId)
            ? (await registry.GetAsync([request.ResidentId], cancellationToken)).SingleOrDefault()
            : null;
        if (resident is null)
        {
            return texts.Problem(StatusCodes.Status404NotFound, "paymentNotBound");
        }

        if (catalog.Current(resident.PolicyId, clock.Today()) is not { } policy
            || !options.Value.PaymentChannels.TryGetValue(resident.PolicyId, out var channel))
        {
            return texts.Problem(StatusCodes.Status503ServiceUnavailable, "paymentChannelMissing");
        }

        if (resident.PaidYear == policy.BenefitYear)
        {
            return texts.Problem(StatusCodes.Status422UnprocessableEntity, "paymentAlreadyPaid", ("year", policy.BenefitYear));
        }

        // With one tier there is nothing to choose; with several the resident must say which.
        var tier = request.Tier ?? (policy.Tiers.Count == 1 ? policy.Tiers[0].Number : null);
        if (tier is null)
        {
            return texts.Problem(StatusCodes.Status400BadRequest, "paymentTierMissing");
        }

        var today = clock.Today();
        var quote = policy.Quote(ResidentQuoteFacts.For(resident, policy) with { Tier = tier }, today);
        if (NotPayable(quote, texts) is { } refusal)
        {
            return refusal;
        }

        var amount = quote.IndividualDueFen!.Value;
        var intentId = await intents.InsertAsync(
            new NewPaymentIntent(resident.Id, session.AppId, session.OpenId, policy.BenefitYear, tier, amount, channel.Name),
            cancellationToken);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["amountFen"] = amount.ToString(CultureInfo.InvariantCulture),
            ["benefitYear"] = policy.BenefitYear.ToString(CultureInfo.InvariantCulture),
            ["tier"] = tier.Value.ToString(CultureInfo.InvariantCulture),
            ["intentId"] = intentId.ToString(CultureInfo.InvariantCulture),
            ["policyId"] = policy.Id,
        };
        var opened = channel.Kind == PaymentChannelKind.MiniProgram
            ? new PaymentChannelResponse("miniProgram", channel.Name, channel.AppId, PaymentChannelOptions.Fill(channel.Path!, values), channel.EnvVersion, null)
            : new PaymentChannelResponse("h5", channel.Name, null, null, null, PaymentChannelOptions.Fill(channel.Url!, values));
        var notice = texts.Detail("paymentNotice", ("channel", channel.Name), ("amount", PolicyFormat.Yuan(amount)));
        return TypedResults.Created(
            "/api/v1/mp/me",
            new PaymentStartResponse(
                intentId,
                resident.Id,
                PersonalDataMask.Name(resident.Name),
                policy.Id,
                policy.BenefitYear,
                tier,
                amount,
                PolicyFormat.Yuan(amount),
                quote.Deadline,
                quote.BenefitStart,
                opened,
                notice));
    }

    /// <summary>The plain-Chinese refusal when the engine says today's payment is not taken, or null when it is.</summary>
    private static ProblemHttpResult? NotPayable(PolicyQuote quote, ProblemTexts texts)
    {
        const int Status = StatusCodes.Status422UnprocessableEntity;
        return quote.Outcome switch
        {
            QuoteOutcome.Ok when quote.Payable && quote.IndividualDueFen is > 0 => null,
            QuoteOutcome.Ok when quote.Payable => texts.Problem(Status, "paymentNothingDue"),
            QuoteOutcome.Ok when quote.NextPayableDate is { } next => texts.Problem(Status, "paymentPaused", ("date", PolicyFormat.Date(next))),
            QuoteOutcome.OutsideWindow when quote.NextPayableDate is { } opens => texts.Problem(Status, "paymentNotYet", ("date", PolicyFormat.Date(opens))),
            QuoteOutcome.OutsideWindow => texts.Problem(Status, "paymentOutsideWindow"),
            QuoteOutcome.TierNotOffered => texts.Problem(Status, "paymentTierNotOffered"),
            QuoteOutcome.NoCoverRemaining => texts.Problem(Status, "paymentNoCover"),
            QuoteOutcome.AlreadyCovered => texts.Problem(Status, "paymentAlreadyCovered"),
            _ => texts.Problem(Status, "paymentNotPayable"),
        };
    }
}
