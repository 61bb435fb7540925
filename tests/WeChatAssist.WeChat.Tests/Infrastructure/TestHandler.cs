using System.Collections.Concurrent;
using WeChatAssist.WeChat.Replies;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.WeChat.Tests.Infrastructure;

/// <summary>A message handler whose behaviour each test sets; records every message it sees.</summary>
internal sealed class TestHandler : IWeChatMessageHandler
{
    public ConcurrentQueue<WeChatMessageContext> Seen { get; } = new();

    public Func<WeChatMessageContext, CancellationToken, ValueTask<WeChatReply?>> Behavior { get; set; } =
        (context, _) => ValueTask.FromResult<WeChatReply?>(null);

    public ValueTask<WeChatReply?> HandleAsync(WeChatMessageContext context, CancellationToken cancellationToken)
    {
        Seen.Enqueue(context);
        return Behavior(context, cancellationToken);
    }
}
