using Microsoft.Extensions.Options;
using WeChatAssist.Policy;
using WeChatAssist.Server.Localization;

namespace WeChatAssist.Server.Policies;

/// <summary>Registers the policy catalog (shipped notices plus <c>Policies:Directory</c>) and residents' everyday words.</summary>
internal static class PoliciesExtensions
{
    /// <summary>Residents' everyday category words, copied beside the binaries from the repository's <c>localization/</c>.</summary>
    public const string ResidentWordsFile = "localization/residents-words.zh-Hans.yaml";

    public static IHostApplicationBuilder AddPolicies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PolicyOptions>()
            .Bind(builder.Configuration.GetSection(PolicyOptions.SectionName))
            .Validate(
                o => string.IsNullOrWhiteSpace(o.Directory) || Directory.Exists(o.Directory),
                $"{PolicyOptions.SectionName}:Directory: the folder does not exist.")
            .ValidateOnStart();

        // Loaded once at start: a broken policy file stops the server with its file, line and reason
        // instead of failing the first resident who asks.
        builder.Services.AddSingleton(sp => LoadCatalog(sp.GetRequiredService<IOptions<PolicyOptions>>().Value));
        builder.Services.AddSingleton(_ => ResidentWords.LoadFile(Path.Combine(AppContext.BaseDirectory, ResidentWordsFile)));
        builder.Services.AddProblemTexts(ProblemTextKeys.Policies);
        builder.Services.AddHostedService<PolicyCatalogWarmUp>();
        builder.Services.AddProblemDetails();
        return builder;
    }

    private static PolicyCatalog LoadCatalog(PolicyOptions options)
    {
        try
        {
            return PolicyCatalog.Load(options.Directory);
        }
        catch (PolicyLoadException ex)
        {
            // Reported by the start-up failure reporter as one line naming the key.
            throw new OptionsValidationException(
                PolicyOptions.SectionName,
                typeof(PolicyOptions),
                [$"{PolicyOptions.SectionName}:Directory: {ex.FileName} line {ex.Line}: {ex.Reason}"]);
        }
    }

    /// <summary>Resolves the catalog and texts during start-up so a bad file fails the start, not a request.</summary>
    private sealed class PolicyCatalogWarmUp(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<PolicyCatalog>();
            _ = services.GetRequiredService<ResidentWords>();
            _ = services.GetRequiredKeyedService<ProblemTexts>(ProblemTextKeys.Policies);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
