using Hangfire;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Reminders;

/// <summary>Plans the day's reminders into the outbox; one node of the cluster at a time. Every ten minutes, so
/// a node that was down or a rule whose send day just began is picked up soon; re-planning adds nothing.</summary>
internal sealed partial class ReminderPlannerJob(ReminderPlanner planner, IBackgroundJobClient jobs, ILogger<ReminderPlannerJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var planned = await planner.PlanAsync(cancellationToken);
        var queued = planned.Sum(p => p.Queued);
        if (queued > 0)
        {
            LogPlanned(logger, queued, planned.Count);

            // New rows are drained at once by whichever node's worker takes this job, besides the dispatch loops
            // that run on nodes with Reminders:DispatcherEnabled (all of them compete through SKIP LOCKED).
            jobs.Enqueue<ReminderDispatchJob>(job => job.DrainAsync(CancellationToken.None));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Planned {Queued} reminders from {Rules} due rules.")]
    private static partial void LogPlanned(ILogger logger, int queued, int rules);
}

/// <summary>Returns outbox rows whose dispatcher lease expired to <c>pending</c>, and the daily budget their batch
/// held to <c>send_budgets</c>.</summary>
internal sealed partial class ReminderLeaseSweepJob(ReminderOutbox outbox, SendBudgets budgets, BusinessClock clock, ILogger<ReminderLeaseSweepJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var returned = await outbox.SweepAsync(clock.GetUtcNow(), cancellationToken);
        await budgets.ReleaseExpiredAsync(clock.GetUtcNow(), cancellationToken);
        if (returned > 0)
        {
            LogReturned(logger, returned);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Returned {Count} reminders whose dispatcher lease expired.")]
    private static partial void LogReturned(ILogger logger, int count);
}

/// <summary>Sends what is due in the outbox, batch after batch, until a claim comes back empty. A Hangfire job, so it
/// is at-least-once: if it outlives <c>Jobs:InvisibilityTimeout</c> another worker runs it again while it is still
/// sending, and that run finds the rows leased (<see cref="ReminderOutbox"/>'s claim) and sends nothing twice.</summary>
internal sealed partial class ReminderDispatchJob(ReminderDispatcher dispatcher, ILogger<ReminderDispatchJob> logger)
{
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var sent = 0L;
        var claimed = 0L;
        while (!cancellationToken.IsCancellationRequested)
        {
            // The token is honoured between batches only: a batch once claimed is sent and settled, because Hangfire
            // cancels a run whose job another worker has taken over, and a send cut off mid-request would be recorded
            // as failed although WeChat may have delivered it.
            var round = await dispatcher.DispatchOnceAsync(CancellationToken.None);
            if (round.Claimed == 0)
            {
                break;
            }

            claimed += round.Claimed;
            sent += round.Sent;
        }

        LogDrained(logger, claimed, sent);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Reminder dispatch job claimed {Claimed} and sent {Sent}.")]
    private static partial void LogDrained(ILogger logger, long claimed, long sent);
}
