using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Reminders;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>The outbox, not Hangfire, makes a send happen once: a dispatch job that outlives its invisibility timeout
/// is run a second time by another worker while the first is still sending, and nothing is sent twice.</summary>
public sealed class ReminderDispatchJobTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task A_dispatch_job_run_again_after_its_invisibility_timeout_sends_each_reminder_once()
    {
        await using var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Clock:Now"] = "2023-12-24T10:00:00+08:00",
            ["Reminders:DispatcherEnabled"] = "false",
            ["Reminders:Jitter"] = "00:00:00",
            ["Jobs:InvisibilityTimeout"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        await ReminderSeed.BoundResidentsAsync(server, 3);

        // Each send takes 6 s, three times the invisibility timeout: Hangfire hands the job to another worker meanwhile.
        server.Faults().Inject(new SimulatorFault(ReminderTestServer.TemplateSend, SimulatorFaultKind.Delay, 3) { DelayMilliseconds = 6000 });
        Assert.Equal(3, (await server.Services.GetRequiredService<ReminderPlanner>().PlanAsync(CancellationToken.None)).Sum(p => p.Queued));

        var jobId = server.Services.GetRequiredService<IBackgroundJobClient>().Enqueue<ReminderDispatchJob>(job => job.DrainAsync(CancellationToken.None));
        var monitoring = server.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        var until = DateTime.UtcNow.AddSeconds(90);
        while (await server.CountAsync("SELECT COUNT(*) FROM reminder_outbox WHERE status = 'sent'") < 3)
        {
            Assert.True(DateTime.UtcNow < until, "Not all sent (" + await Databases.ScalarAsync(server.Services.GetRequiredService<DatabaseTarget>(), "SELECT string_agg(status || ':' || COALESCE(last_error, '-'), ', ') FROM reminder_outbox") + "); job " + jobId + ": " + string.Join(" → ", monitoring.JobDetails(jobId).History.Select(h => h.StateName + " " + h.Reason)) + "\n" + string.Join("\n", server.Logs.Lines.Where(l => l.Contains("Hangfire", StringComparison.Ordinal) || l.Contains("Reminder", StringComparison.Ordinal)).Take(20)));
            await Task.Delay(200);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (monitoring.JobDetails(jobId).History.Count(h => h.StateName == "Processing") < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(monitoring.JobDetails(jobId).History.Count(h => h.StateName == "Processing") >= 2, "The job was taken by a second worker after its invisibility timeout.");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var sends = server.CallLog().Calls(ReminderTestServer.TemplateSend).Where(c => c.ErrorCode == 0).ToList();
        Assert.Equal(3, sends.Count);
        Assert.Equal(3, sends.Select(c => c.Body).Distinct().Count());
    }
}
