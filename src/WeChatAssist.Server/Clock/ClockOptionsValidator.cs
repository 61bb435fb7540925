using System.Globalization;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Clock;

/// <summary>Rejects a <c>Clock:Now</c> that is not ISO 8601 with an offset, and an unknown <c>Clock:TimeZone</c>.</summary>
internal sealed class ClockOptionsValidator : IValidateOptions<ClockOptions>
{
    public ValidateOptionsResult Validate(string? name, ClockOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.Now) && !TryParseInstant(options.Now, out _))
        {
            failures.Add($"Clock:Now: '{options.Now}' is not an ISO 8601 date and time with an offset, e.g. 2026-01-15T09:00:00+08:00.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone ?? string.Empty, out _))
        {
            failures.Add($"Clock:TimeZone: '{options.TimeZone}' is not a known time zone id, e.g. Asia/Shanghai.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Parses an ISO 8601 instant that states its offset (<c>Z</c> or <c>±hh:mm</c>); local times are refused
    /// because their meaning would depend on the server's zone.</summary>
    public static bool TryParseInstant(string text, out DateTimeOffset instant)
    {
        string[] formats =
        [
            "yyyy-MM-dd'T'HH:mmzzz",
            "yyyy-MM-dd'T'HH:mm:sszzz",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
            "yyyy-MM-dd'T'HH:mm'Z'",
            "yyyy-MM-dd'T'HH:mm:ss'Z'",
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        ];
        return DateTimeOffset.TryParseExact(text.Trim(), formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
    }
}
