namespace WeChatAssist.WeChat.Replies;

/// <summary>What the application answers to a message: sent as a passive reply, or later through the customer-service API.</summary>
public abstract record WeChatReply;

/// <summary>A text answer; passive replies are cut at <see cref="Utf8Text.PassiveReplyMaxBytes"/> UTF-8 bytes on a character boundary.</summary>
/// <param name="Content">The text.</param>
public sealed record TextReply(string Content) : WeChatReply;

/// <summary>A news (article card) answer; WeChat shows one card for most replies and at most eight.</summary>
/// <param name="Articles">The cards.</param>
public sealed record NewsReply(IReadOnlyList<NewsArticle> Articles) : WeChatReply;

/// <summary>One card of a news reply.</summary>
/// <param name="Title">Card title.</param>
/// <param name="Description">Card description.</param>
/// <param name="PicUrl">Picture URL.</param>
/// <param name="Url">Target URL.</param>
public sealed record NewsArticle(string Title, string Description, string PicUrl, string Url);
