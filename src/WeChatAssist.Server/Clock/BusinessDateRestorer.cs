using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Clock;

/// <summary>Development: puts the business clock back on the demo date chosen before a restart. Runs after the schema
/// migrator (hosted services start in order). A configured <c>Clock:Now</c> wins over a stored choice.</summary>
internal sealed partial class BusinessDateRestorer(BusinessDateStore store, BusinessClock clock, IOptions<ClockOptions> options, ILogger<BusinessDateRestorer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(options.Value.Now))
        {
            return;
        }

        if (await store.FindAsync(cancellationToken) is { } date)
        {
            clock.MoveTo(date);
            LogRestored(logger, date, BusinessDateEndpoints.Path);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Business date {Date:yyyy-MM-dd} (demo date chosen earlier; DELETE {Path} returns to today).")]
    private static partial void LogRestored(ILogger logger, DateOnly date, string path);
}
