using System.Security.Cryptography;

namespace WeChatAssist.Server.Links;

/// <summary>A cadre's share link for one village.</summary>
/// <param name="Code">The short code in <c>/s/{code}</c> and in the QR scene <c>link:{code}</c>.</param>
/// <param name="PolicyId">The county's policy.</param>
/// <param name="Township">The township (乡镇/街道).</param>
/// <param name="Village">The village (村/社区) the link serves.</param>
/// <param name="CreatedBy">The staff user who made it.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="WeChatQrUrl">The URL WeChat encoded in the parametric QR code, or null when WeChat has not issued it yet.</param>
/// <param name="MiniProgramUrlLink">A URL Link that opens the mini-program, or null.</param>
/// <param name="MiniProgramUrlLinkExpiresAt">When that URL Link stops working.</param>
internal sealed record ShareLink(
    string Code,
    string PolicyId,
    string Township,
    string Village,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string? WeChatQrUrl,
    string? MiniProgramUrlLink,
    DateTimeOffset? MiniProgramUrlLinkExpiresAt)
{
    /// <summary>The QR scene string of this link's parametric code.</summary>
    public string Scene => ShareLinkCode.ScenePrefix + Code;
}

/// <summary>What a link brought: landing-page visits, follows through its QR scene, payments of residents who came through it.</summary>
internal sealed record ShareLinkStats(ShareLink Link, long Visits, long Follows, long Payments);

/// <summary>Short link codes: 8 characters from an alphabet without look-alikes (0/o, 1/l/i), easy to read out over the phone.</summary>
internal static class ShareLinkCode
{
    /// <summary>Scenes of share-link QR codes start with this.</summary>
    public const string ScenePrefix = "link:";

    private const string Alphabet = "23456789abcdefghjkmnpqrstuvwxyz";
    private const int Length = 8;

    /// <summary>A fresh random code (31^8 ≈ 8.5·10^11 values; the store retries on the unlikely collision).</summary>
    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>True for a string that could be a code; anything else is not looked up.</summary>
    public static bool IsWellFormed(string? code) =>
        code is { Length: Length } && code.All(c => Alphabet.Contains(c, StringComparison.Ordinal));
}
