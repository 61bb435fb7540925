using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Corrections;

/// <summary>A server for what follows a review (message retries, photo deletion, category history): the outcome
/// message configured, the WeChat client trying each call once (so one injected fault is one failed send), three
/// attempts in all, retries an hour apart (so the every-minute job never runs one by itself during a test).</summary>
public abstract class CorrectionLifecycleFixture : IAsyncLifetime
{
    public const int MaxAttempts = 3;

    internal ResidentServer Server { get; private set; } = null!;

    internal string PhotoDirectory { get; } = Path.Combine(Path.GetTempPath(), "wca-lifecycle-" + Guid.NewGuid().ToString("N"));

    internal abstract DatabaseProvider Provider { get; }

    public async Task InitializeAsync() => Server = await ResidentServer.StartAsync(Provider, await ConnectionStringAsync(), new Dictionary<string, string?>
    {
        ["Corrections:ResultMessage:TemplateId"] = CorrectionServerFixture.TemplateId,
        ["Corrections:ResultMessage:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Corrections:ResultMessage:RetryBaseDelay"] = "01:00:00",
        ["Corrections:PhotoDirectory"] = PhotoDirectory,
        ["WeChat:ApiMaxAttempts"] = "1",
    });

    public virtual async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        if (Directory.Exists(PhotoDirectory))
        {
            Directory.Delete(PhotoDirectory, recursive: true);
        }
    }

    protected abstract Task<string> ConnectionStringAsync();
}

public sealed class SqliteCorrectionLifecycleFixture : CorrectionLifecycleFixture, IDisposable
{
    private readonly TempSqliteFile _file = new();

    internal override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Dispose();
    }

    public void Dispose() => _file.Dispose();

    protected override Task<string> ConnectionStringAsync() => Task.FromResult(_file.ConnectionString);
}

public sealed class PostgresCorrectionLifecycleFixture : CorrectionLifecycleFixture
{
    private readonly PostgresServer _postgres = new();

    internal override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    protected override async Task<string> ConnectionStringAsync()
    {
        await _postgres.InitializeAsync();
        return await _postgres.CreateDatabaseAsync();
    }
}
