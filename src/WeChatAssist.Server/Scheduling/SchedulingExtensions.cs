using Quartz;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Scheduling;

/// <summary>Registers Quartz on the configured database: clustered on PostgreSQL, embedded on SQLite.</summary>
internal static class SchedulingExtensions
{
    /// <summary>The scheduler name every node shares; nodes with one name on one database form a cluster.</summary>
    public const string SchedulerName = "WeChatAssist";

    /// <summary>Adds the scheduler, its hosted service and the <c>scheduler</c> health check. Call after
    /// <c>AddDatabase</c>, whose migrator creates the Quartz tables before this hosted service starts.</summary>
    public static IHostApplicationBuilder AddScheduling(this IHostApplicationBuilder builder)
    {
        var provider = builder.Configuration.ReadDatabaseOptions().ProviderKind;
        builder.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler => scheduler.InstanceName = SchedulerName);
            if (provider is null)
            {
                // Database:Provider is invalid; start-up validation reports it before the scheduler would run.
                return;
            }

            quartz.UsePersistentStore(store =>
            {
                // The store connects through the same DbDataSource as everything else, resolved from validated options.
                Action<DataSourceOptions> dataSource = options => options.DataSourceFactory = sp => sp.GetRequiredService<DatabaseTarget>().DataSource;
                if (provider == DatabaseProvider.Postgres)
                {
                    store.UsePostgres(dataSource);
                    store.UseClustering();
                    quartz.UseInstanceIdGenerator(new NodeInstanceIdGenerator());
                }
                else
                {
                    store.UseSqlite(dataSource);
                }

                store.UseSystemTextJsonSerializer();
            });
            quartz.AddQuartzHealthChecks(health => health.Name = "scheduler");

            // Features declare their recurring jobs on the job class ([QuartzJob] with [CronTrigger]); Quartz's source
            // generator writes the registrations this call adds, so no feature edits this file.
            quartz.AddDeclaredJobs();
            quartz.AddJobListener<Telemetry.JobRunMetrics>();
        });
        builder.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}
