namespace WeChatAssist.Server.Reminders;

/// <summary>Reminder kinds: what a message is about. Preferences, summaries and the outbox's <c>kind</c> column use these names.</summary>
internal static class ReminderKinds
{
    /// <summary>Before the collection window's last day.</summary>
    public const string Deadline = "deadline";

    /// <summary>Before a late-payment regime ends (price or waiting period changes after it).</summary>
    public const string LateChange = "late-change";

    /// <summary>Before a monthly payment stop (004: from the 26th to the month's end).</summary>
    public const string MonthlyStop = "monthly-stop";

    /// <summary>Days left in a newborn's enrolment window.</summary>
    public const string Newborn = "newborn";

    /// <summary>The day before cover starts after a waiting period.</summary>
    public const string WaitingEnd = "waiting-end";

    /// <summary>A payment was recorded.</summary>
    public const string Receipt = "receipt";

    /// <summary>Requested by staff for chosen residents.</summary>
    public const string Manual = "manual";

    /// <summary>A bureau broadcast sent per resident.</summary>
    public const string Broadcast = "broadcast";

    /// <summary>Every kind, in the order staff see them.</summary>
    public static IReadOnlyList<string> All { get; } = [Deadline, LateChange, MonthlyStop, Newborn, WaitingEnd, Receipt, Manual, Broadcast];

    /// <summary>Kinds that ask a resident to pay: sent only while the resident owes, cancelled by a payment.</summary>
    public static IReadOnlyList<string> Owing { get; } = [Deadline, LateChange, MonthlyStop, Newborn, Manual];

    /// <summary>True for a kind of <see cref="Owing"/>.</summary>
    public static bool IsOwing(string kind) => Owing.Contains(kind, StringComparer.Ordinal);

    /// <summary>True for a known kind.</summary>
    public static bool IsKnown(string kind) => All.Contains(kind, StringComparer.Ordinal);

    /// <summary>The owing kinds as a SQL list literal (constants only, never user input).</summary>
    public static string OwingSqlList { get; } = string.Join(", ", Owing.Select(k => $"'{k}'"));
}
