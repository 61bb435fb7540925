using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat.Residents;

/// <summary>A resident bound to a WeChat follower (binding arrives with the mini-program).</summary>
/// <param name="Name">Name to greet with, or null.</param>
/// <param name="Categories">Subsidy category codes of the resident's policy.</param>
/// <param name="BirthDate">Birth date, when known.</param>
/// <param name="Student">Student kind.</param>
/// <param name="PaidLastYear">Whether the resident paid last year, when known.</param>
/// <param name="PaidOn">The day the resident paid for the policy's benefit year, or null when not paid.</param>
/// <param name="PaidFen">Amount paid, in fen, when paid.</param>
internal sealed record BoundResident(string? Name, IReadOnlyList<string> Categories, DateOnly? BirthDate, StudentKind Student, bool? PaidLastYear, DateOnly? PaidOn, long? PaidFen)
{
    /// <summary>The family members the same WeChat user bound (亲情账户), for "我家交了没有"; empty for a member itself.</summary>
    public IReadOnlyList<BoundResident> Household { get; init; } = [];
}

/// <summary>Looks up the resident bound to a follower's OpenID on an account.</summary>
internal interface IResidentDirectory
{
    /// <summary>The bound resident for <paramref name="policyId"/>'s benefit year, or null when the follower is not bound.</summary>
    ValueTask<BoundResident?> FindAsync(string account, string openId, string policyId, CancellationToken cancellationToken);
}

/// <summary>The directory until the mini-program binds residents: nobody is bound.</summary>
internal sealed class UnboundResidentDirectory : IResidentDirectory
{
    public ValueTask<BoundResident?> FindAsync(string account, string openId, string policyId, CancellationToken cancellationToken) =>
        ValueTask.FromResult<BoundResident?>(null);
}
