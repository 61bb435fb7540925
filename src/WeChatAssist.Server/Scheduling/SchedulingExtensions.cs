using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Client;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Scheduling;

/// <summary>Registers Hangfire on the configured database: Hangfire.PostgreSql with every node one cluster, or
/// Hangfire.Storage.SQLite beside the embedded database.</summary>
internal static class SchedulingExtensions
{
    /// <summary>Adds the job storage, the job server's hosted service and the <c>scheduler</c> health check. Call after
    /// <c>AddDatabase</c>: the server's hosted service has to start after the migrator.</summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<JobsOptions>()
            .Bind(builder.Configuration.GetSection(JobsOptions.SectionName))
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.InvisibilityTimeout > TimeSpan.Zero && o.ShutdownTimeout >= TimeSpan.Zero && o.SingleInstanceWait >= TimeSpan.Zero && o.OnDemandWait >= TimeSpan.Zero, "Jobs:PollInterval and Jobs:InvisibilityTimeout must be positive; Jobs:ShutdownTimeout, Jobs:SingleInstanceWait and Jobs:OnDemandWait must not be negative.")
            .Validate(o => o.WorkerCount is >= 1 and <= 100, "Jobs:WorkerCount must be between 1 and 100.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.SqliteFile), "Jobs:SqliteFile must name a file.")
            .ValidateOnStart();

        services.AddSingleton<JobStorageGate>();

        // Hangfire.AspNetCore's AddHangfire is not used: it would build the storage when first asked for and point
        // process-wide settings (log provider) at this host. Here the storage opens when the job server starts, and
        // filters stay per host (GlobalJobFilters is process-wide, and a test process hosts many servers).
        services.AddSingleton<JobStorage>(sp => sp.GetRequiredService<JobStorageGate>().Storage);
        services.AddSingleton<IJobFilterProvider>(sp =>
        {
            var own = new JobFilterCollection();
            var jobs = sp.GetRequiredService<IOptions<JobsOptions>>().Value;
            own.Add(new SingleInstanceFilter(jobs.SingleInstanceWait, jobs.OnDemandWait, sp.GetRequiredService<ILogger<SingleInstanceFilter>>()));
            own.Add(new Telemetry.JobRunMetrics());
            return new JobFilterProviderCollection([.. JobFilterProviders.Providers, own]);
        });
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddSingleton<IBackgroundJobFactory>(sp => new BackgroundJobFactory(sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IBackgroundJobStateChanger>(sp => new BackgroundJobStateChanger(sp.GetRequiredService<IJobFilterProvider>()));
        services.AddSingleton<IBackgroundJobClient>(sp => new BackgroundJobClient(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IBackgroundJobFactory>(), sp.GetRequiredService<IBackgroundJobStateChanger>()));
        services.AddSingleton<IRecurringJobManager>(sp => new RecurringJobManager(sp.GetRequiredService<JobStorage>(), sp.GetRequiredService<IBackgroundJobFactory>()));

        // The dashboard middleware asks for IGlobalConfiguration only to see that Hangfire was set up; nothing here
        // configures the process-wide instance (its log provider is HangfireLogBridge, set when the server starts).
        services.AddSingleton(_ => GlobalConfiguration.Configuration);
        services.AddSingleton(_ => Hangfire.Dashboard.DashboardRoutes.Routes);

        services.AddHostedService<JobServerHostedService>();
        services.AddHealthChecks().AddCheck<JobsHealthCheck>("scheduler");
        return builder;
    }
}
