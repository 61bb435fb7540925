using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat.Api;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Api;
using WeChatAssist.WeChat.Tests.Infrastructure;
using WeChatAssist.WeChat.Tokens;

namespace WeChatAssist.WeChat.Tests.Tokens;

/// <summary>Two "nodes" (separate service providers) sharing one token store must never both refresh.</summary>
public sealed class SharedTokenTests : IAsyncLifetime
{
    private const string StableToken = "cgi-bin/stable_token";
    private readonly WeChatAccountOptions _account = TestAccounts.Plain();
    private readonly InMemoryAccessTokenStore _sharedStore = new();
    private readonly ManualTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly List<ServiceProvider> _nodes = [];
    private TestHost _simulator = null!;

    public async Task InitializeAsync() => _simulator = await TestHost.StartSimulatorAsync();

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    private AccessTokenProvider Node(IAccessTokenStore? store = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WeChat:ApiBaseAddress"] = new Uri(_simulator.Address, "/wechat-sim/").ToString(),
            ["WeChat:Accounts:acc:AppId"] = _account.AppId,
            ["WeChat:Accounts:acc:AppSecret"] = _account.AppSecret,
            ["WeChat:Accounts:acc:Token"] = _account.Token,
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(store ?? _sharedStore)
            .AddKeyedSingleton<TimeProvider>(WeChatServiceCollectionExtensions.ClockServiceKey, _clock);
        services.AddWeChat();
        var provider = services.BuildServiceProvider();
        _nodes.Add(provider);
        return provider.GetRequiredService<AccessTokenProvider>();
    }

    private int Refreshes => _simulator.Get<SimulatorCallLog>().Calls(StableToken).Count;

    [Fact]
    public async Task Two_nodes_hammering_for_a_token_refresh_it_once()
    {
        var a = Node();
        var b = Node();
        var calls = Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? a : b).GetAccessTokenAsync("acc", default));
        var tokens = await Task.WhenAll(calls);

        Assert.All(tokens, t => Assert.True(t.IsSuccess, t.ToString()));
        Assert.Single(tokens.Select(t => t.Value).Distinct());
        Assert.Equal(1, Refreshes);
    }

    [Fact]
    public async Task A_token_close_to_expiry_is_refreshed_ahead_once_across_nodes()
    {
        var a = Node();
        var b = Node();
        await a.GetAccessTokenAsync("acc", default);
        _clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromMinutes(4));

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).GetAccessTokenAsync("acc", default)));

        Assert.All(results, r => Assert.True(r.IsSuccess));
        Assert.Equal(2, Refreshes);
        Assert.All(_simulator.Get<SimulatorCallLog>().Calls(StableToken), c => Assert.Contains("\"force_refresh\":false", c.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_token_rejected_on_both_nodes_is_force_refreshed_by_one()
    {
        var a = Node();
        var b = Node();
        var first = (await a.GetAccessTokenAsync("acc", default)).Value;
        Assert.Equal(first, (await b.GetAccessTokenAsync("acc", default)).Value);

        var refreshed = await Task.WhenAll(a.RefreshAfterRejectionAsync("acc", first, default), b.RefreshAfterRejectionAsync("acc", first, default));

        Assert.NotEqual(first, refreshed[0].Value);
        Assert.Equal(refreshed[0].Value, refreshed[1].Value);
        var calls = _simulator.Get<SimulatorCallLog>().Calls(StableToken);
        Assert.Equal(2, calls.Count);
        Assert.Contains("\"force_refresh\":true", calls[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_token_store_gives_a_transient_error_instead_of_an_exception()
    {
        var result = await Node(new BrokenStore()).GetAccessTokenAsync("acc", default);
        Assert.Equal(WeChatErrorClass.Transient, result.Error!.Class);
        Assert.Contains("token store failed", result.Error.ErrorMessage, StringComparison.Ordinal);
    }

    private sealed class BrokenStore : IAccessTokenStore
    {
        public ValueTask<StoredAccessToken?> GetAsync(string key, CancellationToken cancellationToken) => throw new InvalidOperationException("database down");

        public ValueTask<bool> TryAcquireRefreshLeaseAsync(string key, string owner, TimeSpan duration, CancellationToken cancellationToken) => throw new InvalidOperationException("database down");

        public ValueTask SaveAsync(string key, StoredAccessToken token, CancellationToken cancellationToken) => throw new InvalidOperationException("database down");

        public ValueTask ReleaseRefreshLeaseAsync(string key, string owner, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_failed_refresh_is_reported_as_a_classified_error()
    {
        _simulator.Get<SimulatorFaults>().Inject(new SimulatorFault(StableToken, SimulatorFaultKind.ErrorCode) { ErrorCode = 40125 });
        var result = await Node().GetAccessTokenAsync("acc", default);
        Assert.Equal(40125, result.Error!.ErrorCode);
        Assert.Equal(WeChatErrorClass.Permanent, result.Error.Class);
    }
}
