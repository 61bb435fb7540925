using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.Reminders;

/// <summary>Reminder planning and dispatch settings, bound from the <c>Reminders</c> section.</summary>
internal sealed class RemindersOptions
{
    public const string SectionName = "Reminders";

    /// <summary>Days before the collection deadline to remind (default 7, 3, 1); a county may override it in <see cref="Counties"/>.</summary>
    public IList<int> DeadlineOffsetDays { get; } = [];

    /// <summary>Days before a late regime ends (default 7, 1).</summary>
    public IList<int> LateChangeOffsetDays { get; } = [];

    /// <summary>Days before a monthly stop (default 3).</summary>
    public IList<int> MonthlyStopOffsetDays { get; } = [];

    /// <summary>Days left in a newborn's window (default 30, 7, 1).</summary>
    public IList<int> NewbornOffsetDays { get; } = [];

    /// <summary>Days before cover starts after a waiting period (default 1).</summary>
    public IList<int> WaitingEndOffsetDays { get; } = [];

    /// <summary>Per policy id: its own deadline offsets.</summary>
    public Dictionary<string, CountyReminderOptions> Counties { get; } = new(StringComparer.Ordinal);

    /// <summary>When the sending hours open, China time ("08:30"); before it is quiet.</summary>
    [Required]
    [RegularExpression(@"^\d{2}:\d{2}$")]
    public string SendingOpens { get; set; } = "08:30";

    /// <summary>When the sending hours close, China time ("20:30"); after it is quiet.</summary>
    [Required]
    [RegularExpression(@"^\d{2}:\d{2}$")]
    public string SendingCloses { get; set; } = "20:30";

    /// <summary>Spread of planned send times after the window opens, so a county's reminders do not all leave at once.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "12:00:00")]
    public TimeSpan Jitter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Whether this node runs a dispatcher.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Rows claimed at once.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Outcomes are recorded after every this many sends of a batch; it bounds what a crashed node re-sends.</summary>
    [Range(1, 10_000)]
    public int RecordEvery { get; set; } = 100;

    /// <summary>Sends in flight at once per node.</summary>
    [Range(1, 1_000)]
    public int Concurrency { get; set; } = 64;

    /// <summary>Wait between claims when nothing is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claim holds its rows; the sweeper returns them after it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts for transient failures before a row fails.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First retry delay after a transient failure; doubles per attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages per app id and quota day, shared by every node (WeChat's template default is 100,000).</summary>
    [Range(1, 100_000_000)]
    public int DailyBudget { get; set; } = 100_000;

    /// <summary>In-process sends per second per app id (token bucket).</summary>
    [Range(1, 1_000_000)]
    public int SendsPerSecond { get; set; } = 5_000;

    /// <summary>Most residents one staff request may name.</summary>
    [Range(1, 100_000)]
    public int MaxStaffRequestResidents { get; set; } = 500;

    /// <summary>Most manual reminders one staff member may queue per business day.</summary>
    [Range(1, 1_000_000)]
    public int MaxStaffRemindersPerDay { get; set; } = 2_000;

    /// <summary>Kinds sent as (official-account) subscribe messages to followers holding a consent for the kind's
    /// template; followers without one get the template message.</summary>
    public IList<string> SubscribeKinds { get; } = [];

    /// <summary>Template ids per kind, overriding those of <c>templates/reminders/messages.zh-Hans.yaml</c>.</summary>
    public Dictionary<string, string> TemplateIds { get; } = new(StringComparer.Ordinal);

    /// <summary>The county mini-program's subscribe-message template per kind (its keywords named as in the messages
    /// file). A resident bound in the mini-program who accepted it there gets that kind through
    /// <c>subscribeMessage.send</c> instead of the official account.</summary>
    public Dictionary<string, string> MiniProgramTemplateIds { get; } = new(StringComparer.Ordinal);

    /// <summary>The offsets in force, defaults applied.</summary>
    public IReadOnlyList<int> DeadlineOffsetsFor(string policyId) =>
        Counties.TryGetValue(policyId, out var county) && county.DeadlineOffsetDays.Count > 0 ? [.. county.DeadlineOffsetDays] : Or(DeadlineOffsetDays, 7, 3, 1);

    public IReadOnlyList<int> LateChangeOffsets => Or(LateChangeOffsetDays, 7, 1);

    public IReadOnlyList<int> MonthlyStopOffsets => Or(MonthlyStopOffsetDays, 3);

    public IReadOnlyList<int> NewbornOffsets => Or(NewbornOffsetDays, 30, 7, 1);

    public IReadOnlyList<int> WaitingEndOffsets => Or(WaitingEndOffsetDays, 1);

    /// <summary>Sending hours as local times of day.</summary>
    public (TimeOnly Opens, TimeOnly Closes) SendingHours => (TimeOnly.Parse(SendingOpens, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(SendingCloses, System.Globalization.CultureInfo.InvariantCulture));

    // Configuration binding appends to a pre-filled list, so defaults are applied here instead of in the initialisers.
    private static int[] Or(IList<int> configured, params int[] defaults) => configured.Count > 0 ? [.. configured.Distinct().OrderDescending()] : defaults;
}

/// <summary>Per-county overrides.</summary>
internal sealed class CountyReminderOptions
{
    /// <summary>Days before the collection deadline.</summary>
    public IList<int> DeadlineOffsetDays { get; } = [];
}
