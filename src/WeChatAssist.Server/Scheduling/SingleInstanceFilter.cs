using Hangfire.Common;
using Hangfire.Server;
using Hangfire.Storage;

namespace WeChatAssist.Server.Scheduling;

/// <summary>Keeps a recurring job from running twice at once anywhere in the cluster: before it runs, the job takes a
/// distributed lock named after its class in the job storage (a row both storages share between nodes). A scheduled
/// occurrence (<see cref="IRecurringJob.RunAsync"/>) that finds the lock held within
/// <see cref="JobsOptions.SingleInstanceWait"/> is skipped, not failed: the run in progress does the same work, and the
/// next occurrence comes soon. A run someone asked for (any other method of the job, e.g. the bureau's backfill) waits
/// up to <see cref="JobsOptions.OnDemandWait"/> instead: the run in progress may have started before what it was
/// asked for, and skipping it would silently drop the request. If even that wait runs out, the job fails and Hangfire
/// retries it.</summary>
internal sealed partial class SingleInstanceFilter(TimeSpan scheduledWait, TimeSpan onDemandWait, ILogger<SingleInstanceFilter> logger) : JobFilterAttribute, IServerFilter
{
    private const string LockItem = "WeChatAssist.SingleInstanceLock";

    public void OnPerforming(PerformingContext context)
    {
        var type = context.BackgroundJob.Job.Type;
        if (!typeof(IRecurringJob).IsAssignableFrom(type))
        {
            return;
        }

        if (!IsScheduledOccurrence(context.BackgroundJob.Job))
        {
            // Throws DistributedLockTimeoutException after the wait: the job fails and is retried, never dropped.
            context.Items[LockItem] = context.Connection.AcquireDistributedLock(ResourceFor(type), onDemandWait);
            return;
        }

        try
        {
            context.Items[LockItem] = context.Connection.AcquireDistributedLock(ResourceFor(type), scheduledWait);
        }
        catch (DistributedLockTimeoutException)
        {
            LogSkipped(logger, type.Name, context.BackgroundJob.Id);
            context.Canceled = true;
        }
    }

    public void OnPerformed(PerformedContext context)
    {
        if (context.Items.Remove(LockItem, out var held))
        {
            ((IDisposable)held).Dispose();
        }
    }

    private static bool IsScheduledOccurrence(Job job) =>
        job.Method.Name == nameof(IRecurringJob.RunAsync) && job.Method.GetParameters() is [{ ParameterType: var only }] && only == typeof(CancellationToken);

    /// <summary>The lock resource of a recurring job class.</summary>
    public static string ResourceFor(Type jobType) => "wechatassist:recurring:" + jobType.FullName;

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job} (job {JobId}) is already running on a node of the cluster; this occurrence is skipped.")]
    private static partial void LogSkipped(ILogger logger, string job, string jobId);
}
