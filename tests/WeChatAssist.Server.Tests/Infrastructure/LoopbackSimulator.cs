using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeChatAssist.WeChat.Simulator;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>The WeChat simulator on a real Kestrel port of the test process. Server processes reach it through
/// <c>WeChat:ApiBaseAddress</c>, and it outlives them: its call log is the record of what "WeChat" accepted from
/// every process, killed ones included.</summary>
internal sealed class LoopbackSimulator : IAsyncDisposable
{
    private const string Prefix = "/wechat-sim";

    private readonly WebApplication _app;

    private LoopbackSimulator(WebApplication app, Uri apiBaseAddress)
    {
        _app = app;
        ApiBaseAddress = apiBaseAddress;
    }

    /// <summary>What a server's <c>WeChat:ApiBaseAddress</c> is set to.</summary>
    public Uri ApiBaseAddress { get; }

    public SimulatorCallLog CallLog => _app.Services.GetRequiredService<SimulatorCallLog>();

    public SimulatorFaults Faults => _app.Services.GetRequiredService<SimulatorFaults>();

    /// <summary>Starts the simulator on a free port of 127.0.0.1. Any app id and secret get a token.</summary>
    public static async Task<LoopbackSimulator> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddWeChatSimulator();
        var app = builder.Build();
        app.MapWeChatSimulator(Prefix);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackSimulator(app, new Uri(new Uri(address), Prefix + "/"));
    }

    /// <summary>Recipients (<c>touser</c>) of the calls to <paramref name="endpoint"/> the simulator accepted, in order.</summary>
    public IReadOnlyList<string> AcceptedRecipients(string endpoint) =>
        [.. CallLog.Calls(endpoint)
            .Where(c => c.ErrorCode == 0 && c.Body is not null)
            .Select(c => JsonDocument.Parse(c.Body!).RootElement.GetProperty("touser").GetString()!)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
