using WeChatAssist.Policy;
using WeChatAssist.Server.Localization;

namespace WeChatAssist.Server.PolicyDrafts;

/// <summary>Registers policy drafts, their store and the poller that brings published policies live on this node.</summary>
internal static class PolicyDraftsExtensions
{
    public static IHostApplicationBuilder AddPolicyDrafts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PolicyDraftsOptions>()
            .Bind(builder.Configuration.GetSection(PolicyDraftsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<PolicyDraftStore>();
        builder.Services.AddProblemTexts(ProblemTextKeys.PolicyDrafts);
        builder.Services.AddSingleton<PublishedPolicyPoller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PublishedPolicyPoller>());
        return builder;
    }
}
