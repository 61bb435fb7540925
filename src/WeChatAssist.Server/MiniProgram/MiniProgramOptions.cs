using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.MiniProgram;

/// <summary><c>MiniProgram:*</c>: sessions, family binding limit, the binding lockout and the followers' unionid backfill.</summary>
internal sealed class MiniProgramOptions
{
    public const string SectionName = "MiniProgram";

    /// <summary>How long our session token is valid.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Family members one WeChat user may bind besides themself (亲情账户).</summary>
    [Range(0, 50)]
    public int FamilyLimit { get; set; } = 5;

    /// <summary>Failed binding attempts within <see cref="FailureWindow"/> after which binding is locked.</summary>
    [Range(1, 100)]
    public int MaxFailedBindings { get; set; } = 5;

    /// <summary>The sliding window failures are counted in; binding reopens when the oldest failure leaves it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The mini-program page where a resident binds themself and their family; the chatbot links it (with the
    /// county's mini-program, the <c>MiniProgram</c> account serving the same policy) when it cannot connect a follower
    /// to a resident.</summary>
    [Required]
    [RegularExpression(@"^[A-Za-z0-9_\-/]+(\?[A-Za-z0-9_\-=&%.]*)?$")]
    public string BindingPagePath { get; set; } = "pages/bind/index";

    /// <summary>Web page opened instead by WeChat clients too old to open a mini-program from a text link.</summary>
    [Required]
    public Uri BindingPageFallbackUrl { get; set; } = new("https://mp.weixin.qq.com/");

    /// <summary>Most OpenIDs one follower backfill asks <c>user/info/batchget</c> about per official account (100 per call).</summary>
    [Range(100, 1_000_000)]
    public int FollowerBackfillPerRun { get; set; } = 10_000;

    /// <summary>How long after a lookup without a unionid (the apps were not under one open platform yet) the
    /// backfill asks about that follower again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan FollowerRecheckAfter { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Each county's official online payment channel, keyed by policy id.</summary>
    public Dictionary<string, PaymentChannelOptions> PaymentChannels { get; set; } = new(StringComparer.Ordinal);
}
