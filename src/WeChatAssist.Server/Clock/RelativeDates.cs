using System.Collections.Concurrent;
using System.Globalization;
using Humanizer;

namespace WeChatAssist.Server.Clock;

/// <summary>How far a date is from the business date, in words of the reader's language (Humanizer: "3 天后",
/// "3 天後", "3 days from now", "明天", "1 个月后"). Counted in whole calendar days between the two dates: a
/// deadline at the end of the 31st seen at 01:00 on the 28th is three days away, whereas Humanizer on the time left
/// (2 days 23 hours) would truncate it to two.</summary>
internal static class RelativeDates
{
    // The chatbot words the same few deadlines all day; Humanizer's resource lookup and formatting cost more than
    // the rest of an answer's rendering, so each (date, today, language) is worded once.
    private const int CacheLimit = 4096;
    private static readonly ConcurrentDictionary<(DateOnly Date, DateOnly Today, string Culture), string> Cache = new();

    /// <summary>Simplified Chinese, the reminders' and the default answers' language.</summary>
    public static CultureInfo SimplifiedChinese { get; } = CultureInfo.GetCultureInfo("zh-Hans");

    /// <summary>Traditional Chinese.</summary>
    public static CultureInfo TraditionalChinese { get; } = CultureInfo.GetCultureInfo("zh-Hant");

    /// <summary>English.</summary>
    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en");

    /// <summary>Calendar days from <paramref name="today"/> to <paramref name="date"/> (negative when past).</summary>
    public static int DaysBetween(DateOnly today, DateOnly date) => date.DayNumber - today.DayNumber;

    /// <summary><paramref name="date"/> relative to the business date <paramref name="today"/>; empty for today itself,
    /// which templates word themselves (Humanizer would say "now").</summary>
    public static string Humanize(DateOnly date, DateOnly today, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        if (DaysBetween(today, date) == 0)
        {
            return string.Empty;
        }

        var key = (date, today, culture.Name);
        if (Cache.TryGetValue(key, out var text))
        {
            return text;
        }

        if (Cache.Count >= CacheLimit)
        {
            Cache.Clear();
        }

        // Both ends are dates at midnight, so Humanizer sees whole days and truncates nothing.
        return Cache.GetOrAdd(key, date.Humanize(today, culture));
    }
}
