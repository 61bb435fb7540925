using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace WeChatAssist.Server.Tests.Infrastructure;

internal static class SchedulerAccess
{
    public static Task<IScheduler> GetSchedulerAsync(this IServiceProvider services) =>
        services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None).AsTask();
}
