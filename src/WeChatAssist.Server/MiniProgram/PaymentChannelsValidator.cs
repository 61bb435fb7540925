using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>Names each unusable <c>MiniProgram:PaymentChannels</c> entry and what is wrong with it, at start-up.</summary>
internal sealed class PaymentChannelsValidator : IValidateOptions<MiniProgramOptions>
{
    public ValidateOptionsResult Validate(string? name, MiniProgramOptions options)
    {
        var failures = options.PaymentChannels
            .Select(c => (c.Key, Problem: c.Value.Problem()))
            .Where(c => c.Problem is not null)
            .Select(c => $"{MiniProgramOptions.SectionName}:PaymentChannels:{c.Key}: {c.Problem}.")
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
