using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Scheduling;

/// <summary>Starts this node's Hangfire server. Registered after the schema migrator (hosted services start one after
/// another), it opens the job storage, applies the recurring jobs the features declared, and only then starts
/// processing. Hangfire.AspNetCore's own hosted service would need the storage when the host builds its services,
/// before the migrator and the storage's start-up retry could run.</summary>
internal sealed partial class JobServerHostedService(
    JobStorageGate gate,
    IEnumerable<RecurringJobDeclaration> declarations,
    IServiceProvider services,
    IOptions<JobsOptions> options,
    ILoggerFactory loggerFactory,
    ILogger<JobServerHostedService> logger) : IHostedService, IAsyncDisposable
{
    private BackgroundJobServer? _server;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        HangfireLogBridge.Instance.Attach(loggerFactory);
        var storage = await gate.OpenAsync(cancellationToken);
        var manager = services.GetRequiredService<IRecurringJobManager>();
        var declared = declarations.ToList();
        foreach (var declaration in declared)
        {
            declaration.Apply(manager, new RecurringJobOptions { TimeZone = RecurringJobs.ChinaStandardTime });
        }

        // Recurring jobs a previous build declared and this one does not would otherwise keep firing.
        using (var connection = storage.GetConnection())
        {
            foreach (var id in connection.GetAllItemsFromSet("recurring-jobs").Except(declared.Select(d => d.Id), StringComparer.Ordinal))
            {
                manager.RemoveIfExists(id);
                LogRemoved(logger, id);
            }
        }

        var value = options.Value;
        var filters = services.GetRequiredService<IJobFilterProvider>();
        var activator = services.GetRequiredService<JobActivator>();
        _server = new BackgroundJobServer(
            new BackgroundJobServerOptions
            {
                ServerName = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}",
                WorkerCount = value.WorkerCount,
                SchedulePollingInterval = value.PollInterval,
                ShutdownTimeout = value.ShutdownTimeout,
                StopTimeout = value.ShutdownTimeout,
                FilterProvider = filters,
                Activator = activator,
            },
            storage);
        LogStarted(logger, gate.Description, value.WorkerCount, declared.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _server) is not { } server)
        {
            return;
        }

        // Running jobs see their cancellation token; what they leave unfinished is picked up again (at-least-once).
        try
        {
            server.SendStop();
            await server.WaitForShutdownAsync(cancellationToken);
        }
        catch (ObjectDisposedException)
        {
            // The host disposed the server while this stop was under way (a stop timed out, then disposal): disposing
            // stops it too, so there is nothing left to wait for.
        }

        HangfireLogBridge.Instance.Detach(loggerFactory);
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _server, null)?.Dispose();
        HangfireLogBridge.Instance.Detach(loggerFactory);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Hangfire server started on {Storage} with {Workers} workers; {Recurring} recurring jobs declared.")]
    private static partial void LogStarted(ILogger logger, string storage, int workers, int recurring);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed recurring job {JobId}, which this build no longer declares.")]
    private static partial void LogRemoved(ILogger logger, string jobId);
}
