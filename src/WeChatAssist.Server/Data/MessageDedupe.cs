namespace WeChatAssist.Server.Data;

/// <summary>A message key already handled for an account, kept until <see cref="ExpiresAt"/> so WeChat's retries
/// are answered once across all nodes; stored in <c>message_dedupe</c>.</summary>
internal sealed class MessageDedupe
{
    public required string Account { get; set; }

    public required string DedupeKey { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
