using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hangfire.Server;

namespace WeChatAssist.Server.Telemetry;

/// <summary>Job runs by job and result, and their duration, from a Hangfire server filter around each run.</summary>
internal sealed class JobRunMetrics : IServerFilter
{
    private const string StartedKey = "wechatassist.metrics.started";

    private static readonly Counter<long> Runs = AppMeter.Meter.CreateCounter<long>(
        "wechatassist.jobs.runs", "{run}", "Scheduled job runs by job and result (succeeded, failed).");

    private static readonly Histogram<double> Duration = AppMeter.Meter.CreateHistogram<double>(
        "wechatassist.jobs.duration", "s", "Time a scheduled job run took, by job.");

    public void OnPerforming(PerformingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var job = new KeyValuePair<string, object?>("job", context.BackgroundJob.Job?.Type.Name ?? "unknown");
        Runs.Add(1, job, new KeyValuePair<string, object?>("result", context.Exception is null || context.ExceptionHandled ? "succeeded" : "failed"));
        if (context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp)
        {
            Duration.Record(Stopwatch.GetElapsedTime(timestamp).TotalSeconds, job);
        }
    }
}
