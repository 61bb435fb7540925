namespace WeChatAssist.Server.Scheduling;

/// <summary>Hangfire's server on this node (<c>Jobs:*</c>). The storage follows <c>Database:Provider</c>:
/// Hangfire.PostgreSql in the <c>hangfire</c> schema of the same database, or Hangfire.Storage.SQLite in a file beside
/// the SQLite database.</summary>
internal sealed class JobsOptions
{
    public const string SectionName = "Jobs";

    /// <summary>Optional connection string of the PostgreSQL job storage; the main database when absent.</summary>
    public const string ConnectionStringKey = "ConnectionStrings:Jobs";

    /// <summary>How often the server looks for due recurring/scheduled jobs and polls its queue. One second keeps a
    /// recurring job within 2 s of its time; each poll is one indexed query.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Workers on this node. Jobs here are few and short (planner, sweepers, one broadcast, one message).</summary>
    public int WorkerCount { get; set; } = 4;

    /// <summary>After this long without completion a fetched job is handed to another worker (the node is presumed
    /// dead). Hangfire is at-least-once: the outbox lease, not the job, keeps a send from happening twice.</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a recurring job waits for the same job running elsewhere before skipping this occurrence.</summary>
    public TimeSpan SingleInstanceWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a run someone asked for (a recurring job's class run on demand, e.g. the bureau's follower
    /// backfill) waits for the same job running elsewhere; it is never skipped, and fails to be retried after this.</summary>
    public TimeSpan OnDemandWait { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long stopping waits for running jobs; their cancellation token is signalled first.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The embedded storage's file; relative paths are taken from the SQLite database's folder.</summary>
    public string SqliteFile { get; set; } = "jobs.db";
}
