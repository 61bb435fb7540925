using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Tests.Infrastructure;

internal static class JobAccess
{
    /// <summary>Runs the recurring job that <typeparamref name="TJob"/>'s feature declared now, through the job storage
    /// (as the dashboard's "Trigger now" does); fails when the feature declared none.</summary>
    public static string TriggerRecurringJob<TJob>(this IServiceProvider services)
        where TJob : IRecurringJob
    {
        var declaration = services.GetServices<RecurringJobDeclaration>().SingleOrDefault(d => d.JobType == typeof(TJob))
            ?? throw new Xunit.Sdk.XunitException($"{typeof(TJob).Name} is not declared as a recurring job.");
        return ((IRecurringJobManagerV2)services.GetRequiredService<IRecurringJobManager>()).TriggerJob(declaration.Id);
    }

    /// <summary>The recurring jobs stored in the job storage, by id.</summary>
    public static Dictionary<string, Hangfire.Storage.RecurringJobDto> RecurringJobs(this IServiceProvider services)
    {
        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        return Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection).ToDictionary(j => j.Id, StringComparer.Ordinal);
    }

    /// <summary>The state a job is in now ("Enqueued", "Processing", "Succeeded"...), or null when unknown.</summary>
    public static string? JobState(this IServiceProvider services, string jobId)
    {
        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(jobId)?.Name;
    }

    /// <summary>Holds <typeparamref name="TJob"/>'s single-instance lock, as a run on another node would, until disposed.</summary>
    public static IDisposable HoldSingleInstanceLock<TJob>(this IServiceProvider services)
        where TJob : IRecurringJob
    {
        var connection = services.GetRequiredService<JobStorage>().GetConnection();
        var held = connection.AcquireDistributedLock(SingleInstanceFilter.ResourceFor(typeof(TJob)), TimeSpan.FromSeconds(10));
        return new HeldLock(connection, held);
    }

    private sealed class HeldLock(IDisposable connection, IDisposable held) : IDisposable
    {
        public void Dispose()
        {
            held.Dispose();
            connection.Dispose();
        }
    }

    /// <summary>The scheduled (not yet enqueued) jobs of <typeparamref name="TJob"/> whose first argument is
    /// <paramref name="firstArgument"/>, with the time each is due.</summary>
    public static List<(string Id, DateTime? EnqueueAt)> ScheduledJobs<TJob>(this IServiceProvider services, long firstArgument)
    {
        var monitoring = services.GetRequiredService<JobStorage>().GetMonitoringApi();
        return monitoring.ScheduledJobs(0, 10_000)
            .Where(j => j.Value.Job?.Type == typeof(TJob) && j.Value.Job.Args.Count > 0 && Convert.ToInt64(j.Value.Job.Args[0], System.Globalization.CultureInfo.InvariantCulture) == firstArgument)
            .Select(j => (j.Key, (DateTime?)j.Value.EnqueueAt))
            .ToList();
    }
}
