using Dapper;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>Who a broadcast goes to.</summary>
/// <param name="Kind"><c>all</c>, <c>township</c>, <c>village</c>, <c>tag</c> (a WeChat user tag: mass send) or <c>unpaid</c>.</param>
/// <param name="Township">For <c>township</c> and <c>village</c>.</param>
/// <param name="Village">For <c>village</c>.</param>
/// <param name="TagId">For <c>tag</c>.</param>
internal sealed record BroadcastAudience(string Kind, string? Township = null, string? Village = null, int? TagId = null)
{
    /// <summary>The audience kinds.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["all", "township", "village", "tag", "unpaid"];

    /// <summary>True when the broadcast goes out as one mass send by tag rather than per-resident messages.</summary>
    public bool IsTag => Kind == "tag";

    /// <summary>Adds <c>@township</c> and <c>@village</c> and returns the SQL condition on roster residents <c>r</c> (<see cref="ResidentSql.Roster"/>) that
    /// picks this audience (<c>unpaid</c> uses <c>@year</c>, the benefit year, which the caller binds).</summary>
    public string ResidentCondition(DynamicParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Add("township", Township, System.Data.DbType.String);
        parameters.Add("village", Village, System.Data.DbType.String);
        return Kind switch
        {
            "township" => "r.township = @township",
            "village" => "r.township = @township AND r.village = @village",
            "unpaid" => ResidentSql.Unpaid("r", "@year"),
            _ => "1 = 1",
        };
    }
}

/// <summary>A bureau broadcast as stored.</summary>
internal sealed record Broadcast(
    long Id, string PolicyId, string Title, string Template, BroadcastAudience Audience, DateTimeOffset SendAt, string Status, string? Mode,
    string CreatedBy, DateTimeOffset CreatedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt, string? CancelledBy, DateTimeOffset? SentAt, long? MassMsgId, int? LastErrorCode, string? LastError = null);

/// <summary>Broadcast states: composed, approved by a second bureau member, sending (queued in the outbox, or waiting
/// for its time as a mass send), sent (mass send accepted), cancelled before sending, failed (mass send refused).</summary>
internal static class BroadcastStatus
{
    public const string Draft = "draft";
    public const string Approved = "approved";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
}
