using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Webhook;

namespace WeChatAssist.WeChat.Tests.Infrastructure;

/// <summary>A real Kestrel host on 127.0.0.1 with a random port.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    public T Get<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A host serving only the simulated WeChat API at /wechat-sim.</summary>
    public static Task<TestHost> StartSimulatorAsync(Action<IServiceCollection>? services = null) =>
        StartAsync(new Dictionary<string, string?>(), s =>
        {
            s.AddWeChatSimulator();
            services?.Invoke(s);
        }, app => app.MapWeChatSimulator());

    /// <summary>A host with the WeChat library and the webhook, its API pointed at <paramref name="simulator"/>.</summary>
    public static Task<TestHost> StartAppAsync(
        IReadOnlyDictionary<string, WeChatAccountOptions> accounts,
        TestHost? simulator,
        TestHandler? handler = null,
        IDictionary<string, string?>? extraSettings = null,
        Action<IServiceCollection>? services = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WeChat:ApiBaseAddress"] = simulator is null ? "http://127.0.0.1:9/wechat-sim/" : new Uri(simulator.Address, "/wechat-sim/").ToString(),
            ["WeChat:ApiRetryBaseDelay"] = "00:00:00.010",
        };
        foreach (var (name, a) in accounts)
        {
            settings[$"WeChat:Accounts:{name}:AppId"] = a.AppId;
            settings[$"WeChat:Accounts:{name}:AppSecret"] = a.AppSecret;
            settings[$"WeChat:Accounts:{name}:Token"] = a.Token;
            settings[$"WeChat:Accounts:{name}:EncodingAESKey"] = a.EncodingAESKey;
            settings[$"WeChat:Accounts:{name}:PolicyId"] = a.PolicyId;
            settings[$"WeChat:Accounts:{name}:Kind"] = a.Kind.ToString();
        }
        foreach (var (k, v) in extraSettings ?? new Dictionary<string, string?>())
            settings[k] = v;

        return StartAsync(settings, s =>
        {
            s.AddWeChat();
            if (handler is not null)
                s.AddSingleton<IWeChatMessageHandler>(handler);
            services?.Invoke(s);
        }, app =>
        {
            app.MapWeChatOfficialAccounts();
            app.MapWeChatMiniPrograms();
        });
    }

    private static async Task<TestHost> StartAsync(Dictionary<string, string?> settings, Action<IServiceCollection> services, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        services(builder.Services);
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestHost(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
