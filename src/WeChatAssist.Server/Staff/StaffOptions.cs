using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.Staff;

/// <summary><c>Staff:*</c>: the bootstrap administrator and login lockout.</summary>
internal sealed class StaffOptions
{
    public const string SectionName = "Staff";

    /// <summary>Creates a bureau administrator when no staff user exists yet.</summary>
    public BootstrapAdminOptions BootstrapAdmin { get; set; } = new();

    /// <summary>Development only: without <see cref="BootstrapAdmin"/>, create <c>admin</c> with a random password
    /// (printed once) when no staff user exists.</summary>
    public bool DevelopmentSignIn { get; set; } = true;

    /// <summary>Failed logins in a row that lock an account.</summary>
    [Range(1, 100)]
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary><c>Staff:BootstrapAdmin</c>; the password is a secret (environment or user secrets).</summary>
internal sealed class BootstrapAdminOptions
{
    public string? UserName { get; set; }

    public string? Password { get; set; }
}
