using HangfireLogLevel = Hangfire.Logging.LogLevel;

namespace WeChatAssist.Server.Scheduling;

/// <summary>Hangfire logs through one process-wide provider, but a process can hold several hosts (the tests do, and
/// each has its own logger factory that dies with it). This provider writes to the factory of the most recently
/// started host that is still running, and drops a message rather than touch a disposed factory.</summary>
internal sealed class HangfireLogBridge : Hangfire.Logging.ILogProvider
{
    public static readonly HangfireLogBridge Instance = new();

    private readonly Lock _gate = new();
    private readonly List<ILoggerFactory> _live = [];

    private HangfireLogBridge()
    {
    }

    /// <summary>Routes Hangfire's logging to <paramref name="factory"/> until <see cref="Detach"/>.</summary>
    public void Attach(ILoggerFactory factory)
    {
        lock (_gate)
        {
            _live.Add(factory);
        }

        Hangfire.Logging.LogProvider.SetCurrentLogProvider(this);
    }

    public void Detach(ILoggerFactory factory)
    {
        lock (_gate)
        {
            _live.Remove(factory);
        }
    }

    public Hangfire.Logging.ILog GetLogger(string name) => new BridgedLog(this, name);

    private ILogger? Current(string name)
    {
        ILoggerFactory? factory;
        lock (_gate)
        {
            factory = _live.Count == 0 ? null : _live[^1];
        }

        try
        {
            return factory?.CreateLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    private sealed class BridgedLog(HangfireLogBridge bridge, string name) : Hangfire.Logging.ILog
    {
        public bool Log(HangfireLogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var logger = bridge.Current(name);
            var level = logLevel switch
            {
                HangfireLogLevel.Trace => LogLevel.Trace,
                HangfireLogLevel.Debug => LogLevel.Debug,
                HangfireLogLevel.Info => LogLevel.Information,
                HangfireLogLevel.Warn => LogLevel.Warning,
                HangfireLogLevel.Error => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            if (logger is null || !logger.IsEnabled(level))
            {
                return false;
            }

            if (messageFunc is not null)
            {
#pragma warning disable CA1848, CA2254 // Hangfire hands over finished text; there is no template to cache.
                logger.Log(level, exception, messageFunc());
#pragma warning restore CA1848, CA2254
            }

            return true;
        }
    }
}
