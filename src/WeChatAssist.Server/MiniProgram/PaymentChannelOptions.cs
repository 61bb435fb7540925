using System.Text.RegularExpressions;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>How a county's official payment channel is opened.</summary>
internal enum PaymentChannelKind
{
    /// <summary>Another mini-program (the tax bureau's or 社保云缴费), opened by <c>wx.navigateToMiniProgram</c>.</summary>
    MiniProgram,

    /// <summary>A web page, opened in a web-view.</summary>
    H5,
}

/// <summary><c>MiniProgram:PaymentChannels:{policyId}</c>: the official channel a county's notice names for paying online.
/// Path and URL may hold the placeholders <c>{amountFen}</c>, <c>{benefitYear}</c>, <c>{tier}</c>, <c>{intentId}</c> and
/// <c>{policyId}</c>, nothing else: no name or 身份证 number ever goes into a path or URL.</summary>
internal sealed partial class PaymentChannelOptions
{
    /// <summary>The placeholders a path or URL may use.</summary>
    public static IReadOnlySet<string> Placeholders { get; } = new HashSet<string>(StringComparer.Ordinal) { "amountFen", "benefitYear", "tier", "intentId", "policyId" };

    public PaymentChannelKind Kind { get; set; }

    /// <summary>The channel's name as the notice gives it, shown to the resident (e.g. 社保云缴费, 河南税务).</summary>
    public string Name { get; set; } = "";

    /// <summary>App id of the mini-program to open (<see cref="PaymentChannelKind.MiniProgram"/>).</summary>
    public string? AppId { get; set; }

    /// <summary>Page path in that mini-program, with placeholders.</summary>
    public string? Path { get; set; }

    /// <summary><c>release</c>, <c>trial</c> or <c>develop</c>.</summary>
    public string EnvVersion { get; set; } = "release";

    /// <summary>HTTPS address of the page to open (<see cref="PaymentChannelKind.H5"/>), with placeholders.</summary>
    public string? Url { get; set; }

    /// <summary>The problem with this entry, or null when it is usable.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            return "Name is required";
        }

        if (Kind == PaymentChannelKind.MiniProgram)
        {
            if (string.IsNullOrWhiteSpace(AppId) || string.IsNullOrWhiteSpace(Path))
            {
                return "a MiniProgram channel needs AppId and Path";
            }

            if (EnvVersion is not ("release" or "trial" or "develop"))
            {
                return "EnvVersion must be release, trial or develop";
            }

            return UnknownPlaceholder(Path);
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return "an H5 channel needs an absolute https Url";
        }

        return UnknownPlaceholder(Url!);
    }

    /// <summary>Fills the placeholders of <paramref name="template"/>; values are URL-escaped.</summary>
    public static string Fill(string template, IReadOnlyDictionary<string, string> values) =>
        PlaceholderPattern().Replace(template, m => Uri.EscapeDataString(values[m.Groups[1].Value]));

    private static string? UnknownPlaceholder(string template) =>
        PlaceholderPattern().Matches(template).Select(m => m.Groups[1].Value).FirstOrDefault(p => !Placeholders.Contains(p)) is { } unknown
            ? $"unknown placeholder {{{unknown}}} (allowed: {string.Join(", ", Placeholders)})"
            : null;

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex PlaceholderPattern();
}
