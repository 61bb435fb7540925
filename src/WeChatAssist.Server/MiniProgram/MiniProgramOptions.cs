using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.MiniProgram;

/// <summary><c>MiniProgram:*</c>: sessions, family binding limit and the binding lockout.</summary>
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

    /// <summary>Each county's official online payment channel, keyed by policy id.</summary>
    public Dictionary<string, PaymentChannelOptions> PaymentChannels { get; set; } = new(StringComparer.Ordinal);
}
