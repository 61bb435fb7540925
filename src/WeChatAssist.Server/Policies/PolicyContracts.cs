using System.Text.Json;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Policies;

/// <summary>One policy in the list.</summary>
internal sealed record PolicySummary(
    string Id,
    string Name,
    string Issuer,
    string DocumentNumber,
    string Title,
    int BenefitYear,
    DateOnly CollectionFrom,
    DateOnly CollectionTo,
    DateOnly BenefitFrom,
    DateOnly BenefitTo,
    IReadOnlyList<TierSummary> Tiers)
{
    public static PolicySummary From(InsurancePolicy p) => new(
        p.Id, p.Name, p.Issuer, p.DocumentNumber, p.Title, p.BenefitYear,
        p.CollectionWindow.From, p.CollectionWindow.To, p.BenefitPeriod.From, p.BenefitPeriod.To,
        [.. p.Tiers.Select(t => new TierSummary(t.Number, t.IndividualFen, t.CollegeFen))]);
}

/// <summary>A tier's individual contribution, and the college-student rate where the notice sets one.</summary>
internal sealed record TierSummary(int Tier, long IndividualFen, long? CollegeFen);

/// <summary>One policy in full: the list entry plus categories, contacts, channels and targets.</summary>
internal sealed record PolicyDetail(
    PolicySummary Policy,
    IReadOnlyList<CategorySummary> Categories,
    IReadOnlyList<ContactResponse> Contacts,
    bool PaymentChannelsStated,
    IReadOnlyList<ChannelResponse> PaymentChannels,
    IReadOnlyList<TargetTableResponse> Targets,
    IReadOnlyList<CoverageTargetResponse> CoverageTargets)
{
    public static PolicyDetail From(InsurancePolicy p) => new(
        PolicySummary.From(p),
        [.. p.Categories.Select(c => new CategorySummary(c.Code, c.Name, c.Aliases, c.Funder, Json.Name(c.Mode), [.. c.Subsidies.Select(s => new CategoryTierResponse(s.Tier, s.SubsidyFen, s.IndividualFen))]))],
        [.. p.Contacts.Select(ContactResponse.From)],
        p.PaymentChannelsStated,
        [.. p.PaymentChannels.Select(c => new ChannelResponse(c.Name, c.Description))],
        [.. p.Targets.Select(t => new TargetTableResponse(t.Title, t.Unit, t.Total, [.. t.Rows.Select(r => new TargetRowResponse(r.Sequence, r.Name, r.Count))]))],
        [.. p.CoverageTargets.Select(c => new CoverageTargetResponse(c.Group, c.Members, c.Percent, c.By))]);
}

/// <summary>A subsidised category.</summary>
internal sealed record CategorySummary(string Code, string Name, IReadOnlyList<string> Aliases, string? Funder, string Mode, IReadOnlyList<CategoryTierResponse> Tiers);

/// <summary>A category's subsidy and individual share in one tier.</summary>
internal sealed record CategoryTierResponse(int Tier, long SubsidyFen, long IndividualFen);

/// <summary>An office or phone number the notice names.</summary>
internal sealed record ContactResponse(string Name, string? Phone, string Role)
{
    public static ContactResponse From(PolicyContact c) => new(c.Name, c.Phone, c.Role);
}

/// <summary>A payment channel.</summary>
internal sealed record ChannelResponse(string Name, string Description);

/// <summary>A township target table with its stated total.</summary>
internal sealed record TargetTableResponse(string Title, string Unit, long Total, IReadOnlyList<TargetRowResponse> Rows);

/// <summary>A coverage-rate target (003: 95% overall, 100% for the seven low-income groups, 99% for 脱贫人口).</summary>
internal sealed record CoverageTargetResponse(string Group, IReadOnlyList<string> Members, decimal Percent, DateOnly? By);

/// <summary>One township's target.</summary>
internal sealed record TargetRowResponse(int? Sequence, string Name, long Count);

/// <summary>A clause the answer rests on.</summary>
internal sealed record CitationResponse(string PolicyId, string ClauseId, string Numbering, string DocumentNumber, string? Text)
{
    public static CitationResponse From(Citation c, InsurancePolicy p) =>
        new(c.PolicyId, c.ClauseId, c.Numbering, c.DocumentNumber, p.ClauseOf(c)?.Text);
}

/// <summary>One explanation step in Chinese with the clause it cites.</summary>
internal sealed record ExplanationResponse(string Text, string ClauseId, string Numbering);

/// <summary>The figures for one tier the resident may choose.</summary>
internal sealed record TierOptionResponse(int Tier, string Outcome, long? IndividualDueFen, long? SubsidyFen, string SubsidyMode, string? Category);

/// <summary>The quote as the API returns it (camelCase, dates as YYYY-MM-DD, money in fen).</summary>
internal sealed record QuoteResponse(
    string PolicyId,
    DateOnly PaidOn,
    string Outcome,
    int? Tier,
    string? Category,
    long? IndividualDueFen,
    long? SubsidyFen,
    string? SubsidyFunder,
    string SubsidyMode,
    long FiscalSubsidyPaidByResidentFen,
    bool Payable,
    DateOnly? NextPayableDate,
    DateOnly? Deadline,
    DateOnly? BenefitStart,
    DateOnly? BenefitEnd,
    int? WaitingDays,
    IReadOnlyList<string> NotStated,
    IReadOnlyList<TierOptionResponse> Options,
    IReadOnlyList<CitationResponse> Citations,
    IReadOnlyList<ExplanationResponse> Explanation,
    IReadOnlyList<ContactResponse> Contacts)
{
    public static QuoteResponse From(PolicyQuote q) => new(
        q.Policy.Id,
        q.PaidOn,
        Json.Name(q.Outcome),
        q.Tier,
        q.AppliedCategory,
        q.IndividualDueFen,
        q.SubsidyFen,
        q.SubsidyFunder,
        Json.Name(q.SubsidyMode),
        q.FiscalSubsidyPaidByResidentFen,
        q.Payable,
        q.NextPayableDate,
        q.Deadline,
        q.BenefitStart,
        q.BenefitEnd,
        q.WaitingDays,
        Gaps(q.Gaps),
        [.. q.Options.Select(o => new TierOptionResponse(o.Tier, Json.Name(o.Outcome), o.IndividualDueFen, o.SubsidyFen, Json.Name(o.SubsidyMode), o.AppliedCategory))],
        [.. q.Citations.Select(c => CitationResponse.From(c, q.Policy))],
        [.. q.Explanation.Select(s => new ExplanationResponse(s.Text, s.Citation.ClauseId, s.Citation.Numbering))],
        [.. q.Contacts.Select(ContactResponse.From)]);

    private static string[] Gaps(QuoteGaps gaps) =>
        [.. Enum.GetValues<QuoteGaps>().Where(g => g != QuoteGaps.None && gaps.HasFlag(g)).Select(Json.Name)];
}

/// <summary>Enum names as the API spells them (camelCase).</summary>
internal static class Json
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
