using System.Collections.Concurrent;

namespace WeChatAssist.Server.Chat;

/// <summary>Whether a follower wants payment reminders (the reminders feature reads it).</summary>
internal interface IReminderSubscriptions
{
    /// <summary>Records the follower's choice for the account.</summary>
    ValueTask SetAsync(string account, string openId, bool subscribed, CancellationToken cancellationToken);

    /// <summary>The follower's choice, or null when never stated.</summary>
    ValueTask<bool?> GetAsync(string account, string openId, CancellationToken cancellationToken);
}

/// <summary>Reminder choices in memory (single node, tests).</summary>
internal sealed class InMemoryReminderSubscriptions : IReminderSubscriptions
{
    private readonly ConcurrentDictionary<(string, string), bool> _choices = new();

    public ValueTask SetAsync(string account, string openId, bool subscribed, CancellationToken cancellationToken)
    {
        _choices[(account, openId)] = subscribed;
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool?> GetAsync(string account, string openId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_choices.TryGetValue((account, openId), out var subscribed) ? subscribed : (bool?)null);
}
