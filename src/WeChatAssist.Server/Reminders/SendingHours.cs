namespace WeChatAssist.Server.Reminders;

/// <summary>The hours messages may go out (default 08:30–20:30 China time) and the quota day, in the business
/// clock's time zone.</summary>
internal sealed class SendingHours(RemindersOptions options, TimeZoneInfo zone)
{
    /// <summary>When rows planned at <paramref name="now"/> may first go out, and how far past it their send times
    /// spread (the jitter, cut at the close of the sending hours).</summary>
    public (DateTimeOffset Start, TimeSpan Spread) Window(DateTimeOffset now)
    {
        var (opens, closes) = options.SendingHours;
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        var open = At(today, opens);
        var close = At(today, closes);
        var start = now < open ? open : now > close ? At(today.AddDays(1), opens) : now;
        var closing = now > close ? At(today.AddDays(1), closes) : close;
        var spread = closing - start < options.Jitter ? closing - start : options.Jitter;
        return (start, spread < TimeSpan.Zero ? TimeSpan.Zero : spread);
    }

    /// <summary>The quota day (WeChat's daily limits reset at midnight China time) of <paramref name="now"/>.</summary>
    public DateOnly QuotaDay(DateTimeOffset now) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);

    /// <summary>The first instant of the quota day after <paramref name="now"/>'s, moved into the sending hours.</summary>
    public DateTimeOffset NextQuotaDay(DateTimeOffset now) => At(QuotaDay(now).AddDays(1), options.SendingHours.Opens);

    private DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
