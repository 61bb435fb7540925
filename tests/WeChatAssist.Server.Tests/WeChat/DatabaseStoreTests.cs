using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.WeChat;
using WeChatAssist.WeChat.Api;

namespace WeChatAssist.Server.Tests.WeChat;

/// <summary>The shared de-duplication and token stores on both providers; two "nodes" are two database targets
/// (separate connection pools) over one database.</summary>
public sealed class DatabaseStoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2024, 1, 10, 2, 0, 0, TimeSpan.Zero);
    private readonly TempSqliteFile _sqlite = new();
    private readonly List<DatabaseTarget> _targets = [];

    public void Dispose()
    {
        foreach (var target in _targets)
        {
            target.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _sqlite.Dispose();
    }

    // Provider names rather than the internal enum: xunit theories must be public.
    public static TheoryData<string> Providers => ["Postgres", "Sqlite"];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_message_key_is_claimed_once_until_it_expires(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        var dedupe = new DatabaseMessageDeduplicator(new MessageDedupeStore(await NodeAsync(provider)), clock);

        Assert.True(await dedupe.TryClaimAsync("wenxi", "oResident|1001", TimeSpan.FromMinutes(10), default));
        Assert.False(await dedupe.TryClaimAsync("wenxi", "oResident|1001", TimeSpan.FromMinutes(10), default));
        Assert.True(await dedupe.TryClaimAsync("pengshui", "oResident|1001", TimeSpan.FromMinutes(10), default));

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await dedupe.TryClaimAsync("wenxi", "oResident|1001", TimeSpan.FromMinutes(10), default));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_nodes_racing_for_one_retried_message_claim_it_once(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        var nodes = new[] { new DatabaseMessageDeduplicator(new MessageDedupeStore(await NodeAsync(provider)), clock), new DatabaseMessageDeduplicator(new MessageDedupeStore(await NodeAsync(provider)), clock) };

        var claims = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => nodes[i % 2].TryClaimAsync("wenxi", "oRetry|42", TimeSpan.FromMinutes(10), default).AsTask())));

        Assert.Equal(1, claims.Count(claimed => claimed));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Only_one_owner_holds_the_refresh_lease_until_it_is_released_or_runs_out(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        var a = new DatabaseAccessTokenStore(await NodeAsync(provider), clock);
        var b = new DatabaseAccessTokenStore(await NodeAsync(provider), clock);

        Assert.True(await a.TryAcquireRefreshLeaseAsync("wxapp", "node-a", TimeSpan.FromSeconds(30), default));
        Assert.False(await b.TryAcquireRefreshLeaseAsync("wxapp", "node-b", TimeSpan.FromSeconds(30), default));
        Assert.True(await a.TryAcquireRefreshLeaseAsync("wxapp", "node-a", TimeSpan.FromSeconds(30), default));

        await b.ReleaseRefreshLeaseAsync("wxapp", "node-b", default);
        Assert.False(await b.TryAcquireRefreshLeaseAsync("wxapp", "node-b", TimeSpan.FromSeconds(30), default));

        await a.ReleaseRefreshLeaseAsync("wxapp", "node-a", default);
        Assert.True(await b.TryAcquireRefreshLeaseAsync("wxapp", "node-b", TimeSpan.FromSeconds(30), default));

        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await a.TryAcquireRefreshLeaseAsync("wxapp", "node-a", TimeSpan.FromSeconds(30), default));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_saved_token_is_read_back_by_the_other_node_with_its_expiry(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        var a = new DatabaseAccessTokenStore(await NodeAsync(provider), clock);
        var b = new DatabaseAccessTokenStore(await NodeAsync(provider), clock);
        Assert.Null(await b.GetAsync("wxapp", default));

        // A lease row alone carries no token yet.
        await a.TryAcquireRefreshLeaseAsync("wxapp", "node-a", TimeSpan.FromSeconds(30), default);
        Assert.Null(await b.GetAsync("wxapp", default));

        var expires = Start.AddHours(2);
        await a.SaveAsync("wxapp", new StoredAccessToken("token-1", expires), default);
        await a.SaveAsync("wxapp", new StoredAccessToken("token-2", expires.AddHours(2)), default);

        var stored = await b.GetAsync("wxapp", default);
        Assert.Equal(new StoredAccessToken("token-2", expires.AddHours(2)), stored);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Many_nodes_racing_for_the_lease_give_it_to_exactly_one(string provider)
    {
        var clock = new FakeTimeProvider(Start);
        var stores = new List<DatabaseAccessTokenStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(new DatabaseAccessTokenStore(await NodeAsync(provider), clock));
        }

        var won = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => stores[i % 4].TryAcquireRefreshLeaseAsync("wxrace", $"node-{i}", TimeSpan.FromSeconds(30), default).AsTask())));

        Assert.Equal(1, won.Count(w => w));
    }

    private string? _postgresConnectionString;

    private async Task<DatabaseTarget> NodeAsync(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        string connectionString;
        if (provider == DatabaseProvider.Postgres)
        {
            connectionString = _postgresConnectionString ??= await postgres.CreateDatabaseAsync();
        }
        else
        {
            connectionString = _sqlite.ConnectionString;
        }

        var target = Databases.Target(provider, connectionString);
        _targets.Add(target);
        await Databases.Migrator(target).MigrateAsync(default);
        return target;
    }
}
