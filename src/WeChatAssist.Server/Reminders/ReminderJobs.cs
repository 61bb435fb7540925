using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Reminders;

/// <summary>Plans the day's reminders into the outbox; one node of the cluster at a time. Every ten minutes, so
/// a node that was down or a rule whose send day just began is picked up soon; re-planning adds nothing.</summary>
internal sealed partial class ReminderPlannerJob(ReminderPlanner planner, ILogger<ReminderPlannerJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var planned = await planner.PlanAsync(cancellationToken);
        var queued = planned.Sum(p => p.Queued);
        if (queued > 0)
        {
            LogPlanned(logger, queued, planned.Count);
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
