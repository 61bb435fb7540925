using WeChatAssist.Server.Chat.Understanding;

namespace WeChatAssist.Server.Chat.Dialogue;

/// <summary>What the bot remembers about one follower between messages, until it expires.</summary>
internal sealed record DialogueState
{
    /// <summary>A fresh conversation.</summary>
    public static DialogueState Empty { get; } = new();

    /// <summary>The question waiting for a fact (e.g. amount due waiting for the category), or None.</summary>
    public ChatIntent PendingIntent { get; init; }

    /// <summary>The intents offered by a clarifying question, numbered from 1.</summary>
    public IReadOnlyList<ChatIntent> Choices { get; init; } = [];

    /// <summary>Facts collected so far.</summary>
    public ChatSlots Slots { get; init; } = ChatSlots.Empty;

    /// <summary>A language the follower chose, overriding WeChat's.</summary>
    public ChatLanguage? Language { get; init; }
}

/// <summary>Keeps dialogue state per account and follower, with expiry.</summary>
internal interface IDialogueStateStore
{
    /// <summary>The follower's state, or null when none or expired.</summary>
    ValueTask<DialogueState?> GetAsync(string account, string userId, CancellationToken cancellationToken);

    /// <summary>Saves the follower's state for <paramref name="lifetime"/>.</summary>
    ValueTask SaveAsync(string account, string userId, DialogueState state, TimeSpan lifetime, CancellationToken cancellationToken);
}
