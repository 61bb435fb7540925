using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.MiniProgram;

/// <summary>Deletes expired mini-program sessions (with their encrypted session_key) and binding attempts older than
/// the lockout window, which no longer count. Real clock: both are protocol time, not business dates.</summary>
internal sealed partial class MiniProgramSweepJob(DatabaseTarget database, IOptions<MiniProgramOptions> options, TimeProvider realClock, ILogger<MiniProgramSweepJob> logger) : IRecurringJob
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = realClock.GetUtcNow();
        var sessions = await DeleteAsync("DELETE FROM mp_sessions WHERE expires_at < @before", now, cancellationToken);
        var attempts = await DeleteAsync("DELETE FROM binding_attempts WHERE at < @before", now - options.Value.FailureWindow, cancellationToken);
        if (sessions + attempts > 0)
        {
            LogSwept(logger, sessions, attempts);
        }
    }

    private Task<int> DeleteAsync(string sql, DateTimeOffset before, CancellationToken cancellationToken) =>
        database.ExecuteAsync(sql, new { before }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Sessions} expired mini-program sessions and {Attempts} old binding attempts.")]
    private static partial void LogSwept(ILogger logger, int sessions, int attempts);
}
