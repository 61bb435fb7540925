using System.Net;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Hosting;

/// <summary><c>Hosting:*</c>: the reverse proxies whose forwarded headers are believed, and the per-client limit on
/// sign-in attempts.</summary>
internal sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>Addresses of the reverse proxies in front of the server (e.g. <c>10.0.0.5</c>). Only a request arriving
    /// from one of them (or from <see cref="KnownNetworks"/>) has its <c>X-Forwarded-For</c>, <c>X-Forwarded-Proto</c>
    /// and <c>X-Forwarded-Host</c> applied; anybody else could write those headers too.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of reverse proxies in CIDR form (e.g. <c>10.0.0.0/24</c>).</summary>
    public string[] KnownNetworks { get; set; } = [];

    /// <summary>Sign-in attempts (<c>POST /api/v1/staff/login</c>) one client address may make per minute; more are
    /// answered 429. Counted on the real client address, so behind a proxy the proxy must be listed above.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 120;

    public bool HasProxies => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

/// <summary>Checks <see cref="HostingOptions"/> at start, one line per bad entry.</summary>
internal sealed class HostingOptionsValidator : IValidateOptions<HostingOptions>
{
    public ValidateOptionsResult Validate(string? name, HostingOptions options)
    {
        const string Section = HostingOptions.SectionName;
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Length; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"{Section}:KnownProxies:{i}: '{options.KnownProxies[i]}' is not an IP address, e.g. 10.0.0.5 or ::1.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Length; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
            {
                failures.Add($"{Section}:KnownNetworks:{i}: '{options.KnownNetworks[i]}' is not a network in CIDR form, e.g. 10.0.0.0/24.");
            }
        }

        if (options.LoginAttemptsPerMinute < 1)
        {
            failures.Add($"{Section}:LoginAttemptsPerMinute: must be at least 1.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
