using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.WeChat;
using WeChatAssist.WeChat;
using WeChatAssist.WeChat.Simulator;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Tokens;

namespace WeChatAssist.Server.Tests.WeChat;

/// <summary>Two nodes whose token stores share one PostgreSQL database ask the simulated WeChat for a token once.</summary>
public sealed class SharedTokenAcrossNodesTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private readonly string _appId = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true);
    private readonly string _secret = RandomNumberGenerator.GetHexString(32, lowercase: true);
    private readonly List<IAsyncDisposable> _owned = [];
    private WebApplication _simulator = null!;
    private Uri _simulatorAddress = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration[$"WeChat:Simulator:Apps:{_appId}"] = _secret;
        builder.Services.AddWeChatSimulator();
        _simulator = builder.Build();
        _simulator.MapWeChatSimulator("/wechat-sim");
        await _simulator.StartAsync();
        var address = _simulator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _simulatorAddress = new Uri(new Uri(address), "/wechat-sim/");
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Two_nodes_asking_at_once_fetch_one_token_and_use_the_same_one()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var a = await NodeAsync(connectionString);
        var b = await NodeAsync(connectionString);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).GetAccessTokenAsync("county", CancellationToken.None))));

        Assert.All(tokens, t => Assert.True(t.IsSuccess, t.ToString()));
        Assert.Single(tokens.Select(t => t.Value).Distinct());
        Assert.Single(_simulator.Services.GetRequiredService<SimulatorCallLog>().Calls("cgi-bin/stable_token"));
    }

    private async Task<AccessTokenProvider> NodeAsync(string connectionString)
    {
        var target = Databases.Target(DatabaseProvider.Postgres, connectionString);
        _owned.Add(target);
        await Databases.Migrator(target).MigrateAsync(CancellationToken.None);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeChat:ApiBaseAddress"] = _simulatorAddress.ToString(),
            ["WeChat:Accounts:county:AppId"] = _appId,
            ["WeChat:Accounts:county:AppSecret"] = _secret,
            ["WeChat:Accounts:county:Token"] = "token",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton<IAccessTokenStore>(new DatabaseAccessTokenStore(target, TimeProvider.System));
        services.AddWeChat();
        var provider = services.BuildServiceProvider();
        _owned.Add(provider);
        return provider.GetRequiredService<AccessTokenProvider>();
    }
}
