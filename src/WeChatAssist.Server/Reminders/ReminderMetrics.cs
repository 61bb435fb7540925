using System.Diagnostics.Metrics;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Telemetry;

namespace WeChatAssist.Server.Reminders;

/// <summary>The reminders' instruments: sends by status per dispatch round, and the outbox depth by status.</summary>
internal static partial class ReminderMetrics
{
    private static readonly Counter<long> Sends = AppMeter.Meter.CreateCounter<long>(
        "wechatassist.reminders.sends", "{message}", "Outbox rows a dispatcher finished with, by status (sent, retrying, deferred, failed, cancelled).");

    // Written by OutboxDepthSampler, read at collection: a scrape never waits for the database.
    private static long[] s_depth = [0, 0, 0];

    static ReminderMetrics() => AppMeter.Meter.CreateObservableGauge(
        "wechatassist.reminders.outbox.depth",
        () =>
        {
            var depth = Volatile.Read(ref s_depth);
            return new[]
            {
                new Measurement<long>(depth[0], new KeyValuePair<string, object?>("status", "pending")),
                new Measurement<long>(depth[1], new KeyValuePair<string, object?>("status", "deferred")),
                new Measurement<long>(depth[2], new KeyValuePair<string, object?>("status", "leased")),
            };
        },
        "{message}",
        "Reminder outbox rows still to send, by status (all nodes; sampled every 15 s).");

    public static void Dispatched(DispatchRound round)
    {
        Add(round.Sent, "sent");
        Add(round.Retrying, "retrying");
        Add(round.Deferred, "deferred");
        Add(round.Failed, "failed");
        Add(round.Cancelled, "cancelled");
    }

    private static void Add(int count, string status)
    {
        if (count > 0)
        {
            Sends.Add(count, new KeyValuePair<string, object?>("status", status));
        }
    }

    /// <summary>Counts the outbox by status every 15 seconds (the partial indexes on status keep it cheap).</summary>
    internal sealed partial class OutboxDepthSampler(ReminderOutbox outbox, ILogger<OutboxDepthSampler> logger) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(15));
            do
            {
                try
                {
                    Volatile.Write(ref s_depth, await outbox.DepthAsync(stoppingToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The database is away (start-up, a restart): the gauge keeps its last value until it is back.
                    LogSampleFailed(logger, e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }

        [LoggerMessage(Level = LogLevel.Debug, Message = "Could not count the reminder outbox: {Reason}")]
        private static partial void LogSampleFailed(ILogger logger, string reason);
    }
}
