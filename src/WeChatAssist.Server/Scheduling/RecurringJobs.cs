using Hangfire;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace WeChatAssist.Server.Scheduling;

/// <summary>A job a feature runs on a schedule. Hangfire passes the server's shutdown token as
/// the job's cancellation token; one node of the cluster runs a given recurring job at a time
/// (<see cref="SingleInstanceFilter"/>).</summary>
internal interface IRecurringJob
{
    Task RunAsync(CancellationToken cancellationToken);
}

/// <summary>One recurring job as a feature declared it; applied through <see cref="IRecurringJobManager"/> when the
/// job server starts.</summary>
internal sealed record RecurringJobDeclaration(string Id, string Cron, Type JobType, Action<IRecurringJobManager, RecurringJobOptions> Apply);

internal static class RecurringJobs
{
    /// <summary>Recurring jobs run on China Standard Time, the residents' and bureaus' clock (Hangfire's default is UTC).</summary>
    public static readonly TimeZoneInfo ChinaStandardTime = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Declares <typeparamref name="TJob"/> to run at <paramref name="cron"/> (five fields, or six with
    /// seconds first) China time. Each feature declares its own jobs once, in its <c>AddX</c>.</summary>
    public static IServiceCollection AddRecurringJob<TJob>(this IServiceCollection services, string id, string cron)
        where TJob : class, IRecurringJob
    {
        services.TryAddScoped<TJob>();
        services.AddSingleton(new RecurringJobDeclaration(
            id,
            cron,
            typeof(TJob),
            (manager, options) => manager.AddOrUpdate<TJob>(id, job => job.RunAsync(CancellationToken.None), cron, options)));
        return services;
    }
}
