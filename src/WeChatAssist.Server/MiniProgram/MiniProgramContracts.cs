using WeChatAssist.Server.Policies;

namespace WeChatAssist.Server.MiniProgram;

/// <summary><c>POST /api/v1/mp/session</c>: the mini-program (an entry of <c>WeChat:Accounts</c>) and its <c>wx.login</c> code.</summary>
internal sealed record SessionRequest(string? Account, string? Code);

/// <summary>Our bearer token; WeChat's session_key stays on the server.</summary>
internal sealed record SessionResponse(string Token, DateTimeOffset ExpiresAt);

/// <summary><c>POST /api/v1/mp/bindings</c>: name and 身份证 number, <c>self</c> or <c>family</c>.</summary>
internal sealed record BindingRequest(string? Name, string? IdNumber, string? Relation);

/// <summary>A bound person, masked.</summary>
internal sealed record BoundPersonResponse(long BindingId, string Relation, string Name, string IdNumber, string PolicyId);

/// <summary><c>GET /api/v1/mp/me</c>.</summary>
internal sealed record MeResponse(DateOnly Today, int FamilyLimit, IReadOnlyList<PersonStatusResponse> People);

/// <summary>One bound person's standing for the current benefit year, with the policy engine's quote for paying today
/// in each tier the notice offers (amount due, subsidy, deadline, benefit start).</summary>
internal sealed record PersonStatusResponse(
    long BindingId,
    long ResidentId,
    string Relation,
    string Name,
    string IdNumber,
    string PolicyId,
    int BenefitYear,
    string Status,
    DateOnly? PaidOn,
    IReadOnlyList<QuoteResponse> Quotes);
