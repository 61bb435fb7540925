using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Security;

namespace WeChatAssist.WeChat.Configuration;

/// <summary>Checks every account at start-up, naming the exact configuration key at fault.</summary>
internal sealed class WeChatOptionsValidator : IValidateOptions<WeChatOptions>
{
    public ValidateOptionsResult Validate(string? name, WeChatOptions options)
    {
        var failures = new List<string>();
        foreach (var (account, a) in options.Accounts)
        {
            var prefix = $"{WeChatOptions.SectionName}:Accounts:{account}";
            if (!IsRouteName(account))
                failures.Add($"{prefix}: an account name is 1-64 characters of ASCII letters, digits, '-' or '_'.");
            if (a is null)
            {
                failures.Add($"{prefix}: the account has no settings.");
                continue;
            }
            if (string.IsNullOrWhiteSpace(a.AppId))
                failures.Add($"{prefix}:AppId is required.");
            if (string.IsNullOrWhiteSpace(a.Token))
                failures.Add($"{prefix}:Token is required.");
            if (a.EncodingAESKey.Length > 0 && !SafeModeCipher.IsValidEncodingAesKey(a.EncodingAESKey))
                failures.Add($"{prefix}:EncodingAESKey must be empty (plaintext mode) or exactly 43 characters of A-Z, a-z, 0-9, '+' or '/'.");
        }
        if (options.ApiBaseAddress is null || !options.ApiBaseAddress.IsAbsoluteUri)
            failures.Add($"{WeChatOptions.SectionName}:ApiBaseAddress must be an absolute URI.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsRouteName(string name) =>
        name.Length is >= 1 and <= 64 && name.All(c => char.IsAsciiLetter(c) || char.IsAsciiDigit(c) || c is '-' or '_');
}
