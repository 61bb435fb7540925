using WeChatAssist.Server.Localization;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.PersonalData;

/// <summary>Answers 503 problem+json on endpoints that need personal data while <c>PersonalData:*</c> is not configured.</summary>
internal sealed class PersonalDataGate(PersonalDataProtector protector, [FromKeyedServices(ProblemTextKeys.Residents)] ProblemTexts texts) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        protector.IsConfigured ? await next(context) : texts.Problem(StatusCodes.Status503ServiceUnavailable, "personalDataOff");
}
