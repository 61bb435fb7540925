using Microsoft.AspNetCore.Http.HttpResults;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Localization;

namespace WeChatAssist.Server.Policies;

/// <summary><c>/api/v1/policies</c>: the loaded notices and quotes from the shared policy engine.</summary>
internal static class PolicyEndpoints
{
    public static IEndpointRouteBuilder MapPolicies(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/policies").WithTags("Policies");
        group.MapGet("/", ListPolicies).WithName(nameof(ListPolicies));
        group.MapGet("/{id}", GetPolicy).WithName(nameof(GetPolicy));
        group.MapGet("/{id}/quote", GetQuote).WithName(nameof(GetQuote));
        return endpoints;
    }

    internal static Ok<PolicySummary[]> ListPolicies(PolicyCatalog catalog) =>
        TypedResults.Ok(catalog.All.Select(PolicySummary.From).ToArray());

    internal static Results<Ok<PolicyDetail>, ProblemHttpResult> GetPolicy(string id, PolicyCatalog catalog, [FromKeyedServices(ProblemTextKeys.Policies)] ProblemTexts texts) =>
        catalog.Find(id) is { } policy ? TypedResults.Ok(PolicyDetail.From(policy)) : PolicyNotFound(id, texts);

    internal static Results<Ok<QuoteResponse>, ProblemHttpResult> GetQuote(
        string id,
        HttpRequest request,
        PolicyCatalog catalog,
        ResidentWords words,
        BusinessClock clock,
        [FromKeyedServices(ProblemTextKeys.Policies)] ProblemTexts texts)
    {
        if (catalog.Find(id) is not { } policy)
        {
            return PolicyNotFound(id, texts);
        }

        if (!QuoteQuery.TryParse(request.Query, out var query, out var error))
        {
            var (title, detail) = texts.Render("badParameter", new Dictionary<string, string> { ["parameter"] = error.Parameter, ["reason"] = error.Reason });
            return TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: new Dictionary<string, object?> { ["parameter"] = error.Parameter });
        }

        // Residents and staff name categories the notice's way, by code, or in everyday words (低保户, 五保户);
        // a name this county does not have is passed on as it is, and the engine says so with its clause.
        var codes = query.Categories
            .Select(text => words.Resolve(policy, text)?.Code ?? text)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var paidOn = query.PaidOn ?? clock.Today();
        var quote = policy.Quote(query.Facts with { Categories = codes }, paidOn);
        return quote.Outcome switch
        {
            QuoteOutcome.Ok or QuoteOutcome.NoCoverRemaining or QuoteOutcome.AlreadyCovered or QuoteOutcome.OutsideWindow
                => TypedResults.Ok(QuoteResponse.From(quote)),
            _ => Unprocessable(quote, query, texts),
        };
    }

    private static ProblemHttpResult PolicyNotFound(string id, ProblemTexts texts)
    {
        var (title, detail) = texts.Render("policyNotFound", new Dictionary<string, string> { ["policyId"] = id });
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: title);
    }

    // 422: the request is well formed but the notice does not let us answer it (not stated, no such category or
    // tier here, or a fact is missing). The body names the clause and whom to call, and still carries the steps.
    private static ProblemHttpResult Unprocessable(PolicyQuote quote, QuoteQuery query, ProblemTexts texts)
    {
        var response = QuoteResponse.From(quote);
        var clause = quote.DeferringClause ?? (quote.Citations.Count > 0 ? quote.Citations[^1] : null);
        var missing = MissingParameter(quote.Missing);
        var values = new Dictionary<string, string>
        {
            ["document"] = DocumentName(quote.Policy),
            ["numbering"] = clause?.Numbering ?? "",
            ["contacts"] = string.Join("；", quote.Contacts.Select(c => c.Phone is null ? c.Name : $"{c.Name} {c.Phone}")),
            ["category"] = string.Join("、", query.Categories),
            ["fact"] = missing is null ? "" : texts.Word(missing),
            // NationalRule: the national document the notice inherits, and what it says, step by step.
            ["national"] = clause is not null && clause.PolicyId != quote.Policy.Id ? clause.DocumentNumber : "",
            ["rule"] = string.Concat(quote.Explanation.Where(s => s.Citation.PolicyId != quote.Policy.Id).Select(s => s.Text)),
        };
        var key = Json.Name(quote.Outcome);
        var (title, detail) = texts.Render(key, values);
        return TypedResults.Problem(
            detail,
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: title,
            extensions: new Dictionary<string, object?>
            {
                ["outcome"] = key,
                ["missing"] = missing,
                ["deferringClause"] = clause is null ? null : CitationResponse.From(clause, quote.Policy),
                ["contacts"] = response.Contacts,
                ["options"] = response.Options,
                ["citations"] = response.Citations,
                ["explanation"] = response.Explanation,
            });
    }

    // 002 carries no document number; its title names it instead.
    private static string DocumentName(InsurancePolicy policy) =>
        policy.DocumentNumber.Length > 0 ? policy.DocumentNumber : $"《{policy.Title}》";

    private static string? MissingParameter(MissingFact missing) => missing switch
    {
        MissingFact.None => null,
        MissingFact.Tier => "tier",
        MissingFact.BirthDate => "birthDate",
        MissingFact.PaidLastYear => "paidLastYear",
        MissingFact.MonitoringRiskCleared => "riskCleared",
        _ => Json.Name(missing),
    };
}
