using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Tokens;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.WeChat;

/// <summary>Registers the WeChat library.</summary>
public static class WeChatServiceCollectionExtensions
{
    /// <summary>Name of the <see cref="IHttpClientFactory"/> client used for WeChat's API (add handlers to it by this name).</summary>
    public const string ApiHttpClientName = "WeChatAssist.WeChat";

    /// <summary>Key of the <see cref="TimeProvider"/> used for token expiry; the system clock unless a test replaces it.</summary>
    public const string ClockServiceKey = "WeChatAssist.WeChat.Clock";

    /// <summary>Adds WeChat from the <c>WeChat</c> configuration section (validated at start).</summary>
    public static IHostApplicationBuilder AddWeChat(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddWeChat();
        return builder;
    }

    /// <summary>
    /// Adds options, the API client, token providers and the webhook. In-memory token store and de-duplicator are
    /// registered only if nothing else is (register database-backed ones to share them across nodes).
    /// </summary>
    public static IServiceCollection AddWeChat(this IServiceCollection services)
    {
        services.AddOptions<WeChatOptions>()
            .BindConfiguration(WeChatOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<WeChatOptions>, WeChatOptionsValidator>());

        services.TryAddKeyedSingleton(ClockServiceKey, TimeProvider.System);
        services.AddHttpClient(WeChatTransport.HttpClientName, (sp, client) =>
        {
            var address = sp.GetRequiredService<IOptionsMonitor<WeChatOptions>>().CurrentValue.ApiBaseAddress.ToString();
            client.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
            // Per-attempt timeouts come from the resilience pipeline.
            client.Timeout = Timeout.InfiniteTimeSpan;
        });

        services.TryAddSingleton<WeChatAccountResolver>();
        services.TryAddSingleton<WeChatTransport>();
        services.TryAddSingleton<IAccessTokenStore>(sp => new InMemoryAccessTokenStore(sp.GetRequiredKeyedService<TimeProvider>(ClockServiceKey)));
        services.TryAddSingleton(sp => new AccessTokenProvider(
            sp.GetRequiredService<WeChatTransport>(),
            sp.GetRequiredService<WeChatAccountResolver>(),
            sp.GetRequiredService<IAccessTokenStore>(),
            sp.GetRequiredKeyedService<TimeProvider>(ClockServiceKey),
            sp.GetRequiredService<ILogger<AccessTokenProvider>>()));
        services.TryAddSingleton<IWeChatApiClient>(sp => new WeChatApiClient(
            sp.GetRequiredService<WeChatTransport>(),
            sp.GetRequiredService<AccessTokenProvider>(),
            sp.GetRequiredService<WeChatAccountResolver>(),
            sp.GetRequiredKeyedService<TimeProvider>(ClockServiceKey)));
        services.TryAddSingleton(sp => new JsApiTicketProvider(
            sp.GetRequiredService<IWeChatApiClient>(),
            sp.GetRequiredService<WeChatAccountResolver>(),
            sp.GetRequiredService<IAccessTokenStore>(),
            sp.GetRequiredKeyedService<TimeProvider>(ClockServiceKey),
            sp.GetRequiredService<ILogger<JsApiTicketProvider>>()));

        services.TryAddSingleton<OAuthAuthorizeUrl>();
        services.TryAddSingleton<IMessageDeduplicator>(sp => new InMemoryMessageDeduplicator(sp.GetRequiredKeyedService<TimeProvider>(ClockServiceKey)));
        services.TryAddSingleton<IDeferredReplySender, CustomerServiceDeferredReplySender>();
        services.TryAddSingleton<SafeModeCipherCache>();
        services.TryAddSingleton<WeChatWebhookProcessor>();
        if (!services.Any(d => d.ServiceType == typeof(DeferredWorkTracker)))
        {
            services.AddSingleton<DeferredWorkTracker>();
            services.AddHostedService(sp => sp.GetRequiredService<DeferredWorkTracker>());
        }
        return services;
    }

    /// <summary>Registers the application's message handler (scoped: one instance per message).</summary>
    public static IServiceCollection AddWeChatMessageHandler<THandler>(this IServiceCollection services)
        where THandler : class, IWeChatMessageHandler
    {
        services.AddScoped<IWeChatMessageHandler, THandler>();
        return services;
    }
}
