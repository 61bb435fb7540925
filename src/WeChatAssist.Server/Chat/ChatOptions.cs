using System.ComponentModel.DataAnnotations;

namespace WeChatAssist.Server.Chat;

/// <summary>Settings of the resident chatbot (section <c>Chat</c>).</summary>
internal sealed class ChatOptions
{
    public const string SectionName = "Chat";

    /// <summary>Below this score (best example's BM25 plus rule weights) the bot shows the menu instead of guessing.</summary>
    [Range(0.1, 100)]
    public double MinimumScore { get; set; } = 4.0;

    /// <summary>When the runner-up intent scores at least this share of the best, the bot asks which one is meant.</summary>
    [Range(0.5, 1.0)]
    public double AmbiguityRatio { get; set; } = 0.9;

    /// <summary>Multiplier of the keyword weights in <c>localization/chat/intents.zh-Hans.yaml</c> against the BM25 scores.</summary>
    [Range(0.0, 100)]
    public double KeywordWeight { get; set; } = 2.0;

    /// <summary>A clause sentence answers a question no computed answer fits when its BM25 score reaches this.</summary>
    [Range(0.0, 1000)]
    public double ClauseMinimumScore { get; set; } = 3.5;

    /// <summary>… and at least this share of the question's content words occur in the sentence or its clause.</summary>
    [Range(0.0, 1.0)]
    public double ClauseMinimumMatched { get; set; } = 0.5;

    /// <summary>The share of content words a clause sentence needs when the message asks something the notice says in
    /// words (who, which office, what to bring: <c>localization/chat/clause-words.zh-Hans.yaml</c>) and no amount or date.</summary>
    [Range(0.0, 1.0)]
    public double ClauseWordsMinimumMatched { get; set; } = 0.3;

    /// <summary>The share a clause sentence needs to replace a "not stated" answer: the notice saying something
    /// related is better than saying it is silent.</summary>
    [Range(0.0, 1.0)]
    public double ClauseNotStatedMinimumMatched { get; set; } = 0.2;

    /// <summary>The share a clause sentence needs to be quoted under a computed answer that cites its clause without
    /// quoting it (the sentence states no amount or date).</summary>
    [Range(0.0, 1.0)]
    public double ClauseQuoteMinimumMatched { get; set; } = 0.8;

    /// <summary>The share a clause sentence needs to keep a message the classifier reads as out of scope in scope:
    /// a message most of whose words one clause of the notice holds is about the notice, whatever the classifier
    /// (trained on far fewer wordings) says. Messages naming another scheme or service are still declined.</summary>
    [Range(0.0, 1.0)]
    public double ClauseInScopeMinimumMatched { get; set; } = 0.5;

    /// <summary>The share of a message's content words that one residents' question filed under a clause
    /// (<c>localization/chat/clause-examples.tsv</c>) must hold for the message to be read as that kind of question:
    /// the clause answers it rather than a computed reading, unless an amount or a date is asked.</summary>
    [Range(0.0, 1.0)]
    public double ClauseExampleMinimumMatched { get; set; } = 0.75;

    /// <summary>How long a follower's dialogue state (pending question, facts, language) is kept after the last message.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(30);
}
