using WeChatAssist.Policy;
using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Links;

/// <summary>Everything the landing page, poster and group text show, every amount and date already formatted by the policy engine.</summary>
internal sealed record LinkPageModel
{
    public required string Code { get; init; }
    public required string County { get; init; }
    public required string Township { get; init; }
    public required string Village { get; init; }
    public required string Title { get; init; }
    public required string DocumentNumber { get; init; }
    public required int BenefitYear { get; init; }
    public required IReadOnlyList<TierLine> Tiers { get; init; }
    public required bool SingleTier { get; init; }
    public required string WindowFrom { get; init; }
    public required string WindowTo { get; init; }
    public string? Deadline { get; init; }

    /// <summary>True when the deadline is not simply the window's last day (worth saying separately in short texts).</summary>
    public bool DeadlineBeyondWindow { get; init; }
    public required bool PayableToday { get; init; }
    public string? NextPayableDate { get; init; }
    public int? NoPaymentFromDay { get; init; }
    public required IReadOnlyList<PaymentChannel> Channels { get; init; }
    public required bool ChannelsStated { get; init; }
    public required IReadOnlyList<PolicyContact> Contacts { get; init; }
    public required string LandingUrl { get; init; }
    public string? MiniProgramUrl { get; init; }
    public string? FollowQrPath { get; init; }

    /// <summary>Raw SVG of the landing-page QR code (poster only).</summary>
    public RawMarkup? LandingQrSvg { get; init; }

    /// <summary>Raw SVG of the follow QR code (poster only).</summary>
    public RawMarkup? FollowQrSvg { get; init; }

    /// <summary>One contribution tier: the window amount for an ordinary resident and, when the notice sets one, for college students.</summary>
    public sealed record TierLine(int Number, string Amount, string? CollegeAmount);

    /// <summary>Builds the model for <paramref name="link"/> under <paramref name="policy"/> on business day <paramref name="today"/>.</summary>
    public static LinkPageModel Create(ShareLink link, InsurancePolicy policy, DateOnly today, string landingUrl, string? miniProgramUrl, string? followQrPath)
    {
        ArgumentNullException.ThrowIfNull(link);
        ArgumentNullException.ThrowIfNull(policy);

        // An ordinary resident's quote today gives the deadline and whether today is a payable day.
        var quote = policy.Quote(ResidentFacts.Ordinary, today);
        return new LinkPageModel
        {
            Code = link.Code,
            County = policy.Name,
            Township = link.Township,
            Village = link.Village,
            Title = policy.Title,
            DocumentNumber = policy.DocumentNumber,
            BenefitYear = policy.BenefitYear,
            Tiers = [.. policy.Tiers.Select(t => new TierLine(t.Number, PolicyFormat.Yuan(t.IndividualFen), t.CollegeFen is { } c ? PolicyFormat.Yuan(c) : null))],
            SingleTier = policy.Tiers.Count == 1,
            WindowFrom = PolicyFormat.Date(policy.CollectionWindow.From),
            WindowTo = PolicyFormat.Date(policy.CollectionWindow.To),
            Deadline = quote.Deadline is { } d ? PolicyFormat.Date(d) : null,
            DeadlineBeyondWindow = quote.Deadline is { } e && e != policy.CollectionWindow.To,
            PayableToday = policy.IsPayable(today),
            NextPayableDate = quote.NextPayableDate is { } n && n != today ? PolicyFormat.Date(n) : null,
            NoPaymentFromDay = policy.NoPaymentFromDay,
            Channels = policy.PaymentChannels,
            ChannelsStated = policy.PaymentChannelsStated,
            Contacts = policy.Contacts,
            LandingUrl = landingUrl,
            MiniProgramUrl = miniProgramUrl,
            FollowQrPath = followQrPath,
        };
    }
}
