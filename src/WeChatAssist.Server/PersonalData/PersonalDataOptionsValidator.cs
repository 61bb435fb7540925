using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.PersonalData;

/// <summary>Checks the keys at start, each failure naming the configuration key and never echoing a secret.</summary>
internal sealed class PersonalDataOptionsValidator : IValidateOptions<PersonalDataOptions>
{
    public ValidateOptionsResult Validate(string? name, PersonalDataOptions options)
    {
        const string Section = PersonalDataOptions.SectionName;
        if (!options.IsConfigured)
        {
            // Nothing set at all: personal-data features are off and answer 503 (PersonalDataGate); a
            // deployment that serves only the official account needs no keys. Anything set is checked in full.
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.Keys.Count == 0)
        {
            failures.Add($"{Section}:Keys: no encryption key is configured; set {Section}__Keys__<id> to base64 of 32 random bytes (environment or user secrets).");
        }

        foreach (var (id, value) in options.Keys)
        {
            if (!PersonalDataProtector.IsValidKeyId(id))
            {
                failures.Add($"{Section}:Keys:{id}: a key id may only hold letters, digits, '-' and '_' (at most 32).");
            }
            else if (Decode(value) is not { Length: 32 })
            {
                failures.Add($"{Section}:Keys:{id}: must be base64 of exactly 32 bytes.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.ActiveKeyId))
        {
            failures.Add($"{Section}:ActiveKeyId: required; name one of {Section}:Keys.");
        }
        else if (!options.Keys.ContainsKey(options.ActiveKeyId))
        {
            failures.Add($"{Section}:ActiveKeyId: '{options.ActiveKeyId}' is not one of {Section}:Keys.");
        }

        if (Decode(options.LookupKey) is not { Length: >= 32 })
        {
            failures.Add($"{Section}:LookupKey: must be base64 of at least 32 bytes.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static byte[]? Decode(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer[..written] : null;
    }
}
