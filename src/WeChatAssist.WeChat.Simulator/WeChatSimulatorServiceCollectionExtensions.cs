using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.WeChat.Simulator;

/// <summary>Registers the WeChat simulator (Development and tests only).</summary>
public static class WeChatSimulatorServiceCollectionExtensions
{
    /// <summary>Key of the simulator's clock (token expiry); the system clock unless a test replaces it.</summary>
    public const string ClockServiceKey = "WeChatAssist.WeChat.Simulator.Clock";

    /// <summary>Adds the simulator's state, call log and fault injection as singletons.</summary>
    public static IServiceCollection AddWeChatSimulator(this IServiceCollection services)
    {
        services.AddOptions<WeChatSimulatorOptions>().BindConfiguration(WeChatSimulatorOptions.SectionName);
        services.TryAddKeyedSingleton(ClockServiceKey, TimeProvider.System);
        services.TryAddSingleton<SimulatorState>();
        services.TryAddSingleton<SimulatorCallLog>();
        services.TryAddSingleton<SimulatorFaults>();
        services.AddHttpClient();
        return services;
    }

    /// <summary>
    /// Points the WeChat API client (<c>AddWeChat</c>) at this application's own simulator mapped at <paramref name="prefix"/>,
    /// whatever port Kestrel listens on. Development only; leave <c>WeChat:ApiBaseAddress</c> at its default.
    /// </summary>
    public static IServiceCollection AddWeChatSimulatorLoopbackClient(this IServiceCollection services, string prefix = SimulatorEndpoints.DefaultPrefix)
    {
        services.AddHttpClient(WeChatServiceCollectionExtensions.ApiHttpClientName)
            .AddHttpMessageHandler(sp => new SelfRedirectHandler(sp.GetRequiredService<IServer>(), prefix));
        return services;
    }
}
