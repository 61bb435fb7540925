using WeChatAssist.Server.Data.Schema;

namespace WeChatAssist.Server.Data;

/// <summary>Applies the schema before anything else starts. Registered ahead of the scheduler's hosted service,
/// and hosted services start one after another, so no job runs against a database without its tables.</summary>
internal sealed class SchemaMigrationHostedService(SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
