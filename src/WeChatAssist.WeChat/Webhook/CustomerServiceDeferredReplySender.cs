using Microsoft.Extensions.Logging;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Replies;

namespace WeChatAssist.WeChat.Webhook;

/// <summary>Sends late replies through <c>cgi-bin/message/custom/send</c>.</summary>
internal sealed partial class CustomerServiceDeferredReplySender(IWeChatApiClient client, ILogger<CustomerServiceDeferredReplySender> logger) : IDeferredReplySender
{
    public async Task SendAsync(string account, string openId, WeChatReply reply, CancellationToken cancellationToken)
    {
        var result = await client.SendCustomerServiceMessageAsync(account, openId, reply, cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
            LogFailed(logger, account, result.Error!.ErrorCode, result.Error.Class, result.Error.ErrorMessage);
    }

    [LoggerMessage(EventId = 4301, Level = LogLevel.Warning, Message = "Deferred reply on {Account} could not be sent: {ErrorCode} ({ErrorClass}) {ErrorMessage}")]
    private static partial void LogFailed(ILogger logger, string account, int errorCode, WeChatErrorClass errorClass, string errorMessage);
}
