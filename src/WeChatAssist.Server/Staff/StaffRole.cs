namespace WeChatAssist.Server.Staff;

/// <summary>Staff roles, widest first. Stored and sent in lower case.</summary>
internal enum StaffRole
{
    Bureau,
    Township,
    Village,
}

/// <summary>Role names, claim types and authorization policy names.</summary>
internal static class StaffClaims
{
    public const string PolicyId = "wca:policy";
    public const string Township = "wca:township";
    public const string Village = "wca:village";

    /// <summary>The account's security stamp at sign-in; a password reset or disabling changes it and ends the cookie.</summary>
    public const string SecurityStamp = "wca:stamp";

    /// <summary>Bureau staff only.</summary>
    public const string BureauPolicy = "bureau";

    /// <summary>Bureau or township staff.</summary>
    public const string TownshipPolicy = "township";

    /// <summary>Any staff member, village cadres included.</summary>
    public const string VillagePolicy = "village";

    public static string Name(StaffRole role) => role switch
    {
        StaffRole.Bureau => "bureau",
        StaffRole.Township => "township",
        _ => "village",
    };

    public static StaffRole? Parse(string? text) => text switch
    {
        "bureau" => StaffRole.Bureau,
        "township" => StaffRole.Township,
        "village" => StaffRole.Village,
        _ => null,
    };
}
