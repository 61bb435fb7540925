using System.Diagnostics.Metrics;
using Quartz;

namespace WeChatAssist.Server.Telemetry;

/// <summary>Job runs by job and result, and their duration, from the scheduler's own job listener.</summary>
internal sealed class JobRunMetrics : IJobListener
{
    private static readonly Counter<long> Runs = AppMeter.Meter.CreateCounter<long>(
        "wechatassist.jobs.runs", "{run}", "Scheduled job runs by job and result (succeeded, failed).");

    private static readonly Histogram<double> Duration = AppMeter.Meter.CreateHistogram<double>(
        "wechatassist.jobs.duration", "s", "Time a scheduled job run took, by job.");

    public string Name => "metrics";

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = new KeyValuePair<string, object?>("job", context.JobDetail.Key.Name);
        Runs.Add(1, job, new KeyValuePair<string, object?>("result", jobException is null ? "succeeded" : "failed"));
        Duration.Record(context.JobRunTime.TotalSeconds, job);
        return ValueTask.CompletedTask;
    }
}
