using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Hosting;

/// <summary>Refuses to start when a secret is written in an <c>appsettings*.json</c> file: WeChat app secrets,
/// tokens, EncodingAESKeys and database passwords belong in environment variables or user secrets.</summary>
internal static class SecretSources
{
    // Configuration keys whose values are secrets wherever they appear (matched on the last segment).
    private static readonly string[] SecretKeyNames = ["AppSecret", "Token", "EncodingAESKey", "Password", "LookupKey"];

    public static IHostApplicationBuilder AddSecretSourceCheck(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecretSourceReport>()
            .Configure<IConfiguration>((report, configuration) => report.Findings.AddRange(FindSecretsInSettingsFiles(configuration)))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SecretSourceReport>, SecretSourceValidator>();
        return builder;
    }

    /// <summary>"key (file)" for every secret value found in a JSON settings file other than user secrets.</summary>
    public static IEnumerable<string> FindSecretsInSettingsFiles(IConfiguration configuration)
    {
        if (configuration is not IConfigurationRoot root)
        {
            yield break;
        }

        foreach (var provider in root.Providers.OfType<JsonConfigurationProvider>())
        {
            var file = provider.Source.Path ?? "a JSON file";
            if (file.EndsWith("secrets.json", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var key in AllKeys(provider, null))
            {
                if (provider.TryGet(key, out var value) && IsSecret(key, value))
                {
                    yield return $"{key} ({file})";
                }
            }
        }
    }

    private static bool IsSecret(string key, string? value)
    {
        // Placeholders like "<from environment: ...>" and empty values are documentation, not secrets.
        if (string.IsNullOrWhiteSpace(value) || value.StartsWith('<'))
        {
            return false;
        }

        var name = key[(key.LastIndexOf(':') + 1)..];
        if (SecretKeyNames.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        // Personal-data encryption keys are named by their key id, so the whole PersonalData:Keys section is secret.
        if (key.StartsWith("PersonalData:Keys:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // The Redis backplane's connection string carries its password the same way.
        return (key.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase) || key.Equals("SignalR:Redis", StringComparison.OrdinalIgnoreCase))
            && (value.Contains("Password=", StringComparison.OrdinalIgnoreCase) || value.Contains("Pwd=", StringComparison.OrdinalIgnoreCase));
    }

    private static IEnumerable<string> AllKeys(IConfigurationProvider provider, string? parent)
    {
        foreach (var child in provider.GetChildKeys([], parent).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var key = parent is null ? child : $"{parent}:{child}";
            yield return key;
            foreach (var descendant in AllKeys(provider, key))
            {
                yield return descendant;
            }
        }
    }
}

/// <summary>What <see cref="SecretSources"/> found; validated at start.</summary>
internal sealed class SecretSourceReport
{
    public List<string> Findings { get; } = [];
}

/// <summary>Names each misplaced secret's key in the failure message.</summary>
internal sealed class SecretSourceValidator : IValidateOptions<SecretSourceReport>
{
    public ValidateOptionsResult Validate(string? name, SecretSourceReport options) =>
        options.Findings.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(options.Findings.Select(finding =>
                $"{finding}: is a secret and must come from an environment variable or user secrets, not a settings file."));
}
