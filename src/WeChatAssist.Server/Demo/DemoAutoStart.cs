using Microsoft.Extensions.Options;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.StaffConsole;

namespace WeChatAssist.Server.Demo;

/// <summary>Development: on a database without any resident, generates the demo county (<c>Demo:AutoResidents</c>,
/// 彭水 by default) in the background once the server listens, so the console has something to show in the first
/// minutes. Progress goes to the log; the open dashboards are told to refetch when it is written.</summary>
internal sealed partial class DemoAutoStart(
    IOptions<DemoOptions> options,
    DemoCountyGenerator generator,
    ResidentRegistry registry,
    BusinessClock clock,
    IConfiguration configuration,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    ILogger<DemoAutoStart> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var count = options.Value.AutoResidents;
        var policyId = options.Value.AutoPolicyId;
        if (count == 0)
        {
            return;
        }

        try
        {
            // After start-up: the schema is applied and the demo date (if any) restored, and the server answers meanwhile.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            {
                await started.Task;
            }

            if (await registry.CountAsync(null, stoppingToken) > 0)
            {
                return;
            }

            var appId = configuration.GetSection("WeChat:Accounts").GetChildren()
                .FirstOrDefault(a => string.Equals(a["PolicyId"], policyId, StringComparison.Ordinal))?["AppId"];
            var today = clock.Today();
            LogStarting(logger, count, policyId, today);
            var summary = await generator.GenerateAsync(new DemoCountyRequest(policyId, count, appId), today, stoppingToken);
            LogWritten(logger, summary.Residents, policyId, summary.Townships, summary.Villages, summary.Bound, summary.Paid, summary.Elapsed.TotalSeconds);

            // Open dashboards refetch (the rows were written directly, not through the payment ledger).
            services.GetService<ProgressFeed>()?.Post(ProgressFeed.Resync);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or System.Data.Common.DbException)
        {
            LogFailed(logger, policyId, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo county (Development, empty database): generating {Count:N0} residents of {PolicyId} paid up to {Today:yyyy-MM-dd} in the background (Demo:AutoResidents; 0 skips).")]
    private static partial void LogStarting(ILogger logger, int count, string policyId, DateOnly today);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo county: wrote {Residents:N0} residents of {PolicyId} in {Townships} townships / {Villages} villages, {Bound:N0} bound, {Paid:N0} paid, in {Seconds:F1} s; the console shows it now.")]
    private static partial void LogWritten(ILogger logger, int residents, string policyId, int townships, int villages, int bound, int paid, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo county for {PolicyId} was not generated: {Reason}")]
    private static partial void LogFailed(ILogger logger, string policyId, string reason);
}
