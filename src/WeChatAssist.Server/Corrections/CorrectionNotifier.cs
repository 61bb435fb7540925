using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.WeChat.Api;

namespace WeChatAssist.Server.Corrections;

/// <summary>Tells the resident who asked how their correction was decided, by a mini-program subscribe message.
/// A failure is recorded on the correction (staff see it in the queue) and never undoes the review.</summary>
internal sealed partial class CorrectionNotifier(
    IWeChatApiClient wechat,
    CorrectionStore store,
    CorrectionTexts texts,
    IOptions<CorrectionsOptions> options,
    ILogger<CorrectionNotifier> logger)
{
    /// <summary>WeChat limits a <c>thing</c> keyword to 20 characters.</summary>
    private const int ThingLength = 20;

    public async Task NotifyAsync(Correction correction, CorrectionStatus outcome, string? reason, DateOnly reviewedOn, CancellationToken cancellationToken)
    {
        var message = options.Value.ResultMessage;
        string? error;
        if (string.IsNullOrWhiteSpace(message.TemplateId))
        {
            error = "Corrections:ResultMessage:TemplateId is not configured; no message sent.";
        }
        else
        {
            var data = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [message.ItemKey] = Thing(texts.Word("field." + CorrectionNames.Name(correction.Field))),
                [message.ResultKey] = texts.Word("status." + CorrectionNames.Name(outcome)),
                [message.RemarkKey] = Thing(string.IsNullOrWhiteSpace(reason) ? texts.Word("remark." + CorrectionNames.Name(outcome)) : reason),
                [message.DateKey] = PolicyFormat.Date(reviewedOn),
            };
            var request = new MiniProgramSubscribeMessage(correction.OpenId, message.TemplateId, data) { Page = message.Page };
            WeChatResult<WeChatOk> result;
            try
            {
                result = await wechat.SendMiniProgramSubscribeMessageAsync(correction.Account, request, cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                result = WeChatResult.Failure<WeChatOk>(WeChatError.Transport(ex.Message));
            }

            error = result.IsSuccess ? null : result.Error!.ToString();
        }

        if (error is not null)
        {
            LogNotFailed(logger, correction.Id, error);
        }

        await store.RecordNotificationAsync(correction.Id, error, cancellationToken);
    }

    private static string Thing(string text) => text.Length <= ThingLength ? text : text[..(ThingLength - 1)] + "…";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Correction {CorrectionId}: the outcome message was not sent: {Error}")]
    private static partial void LogNotFailed(ILogger logger, long correctionId, string error);
}
