using System.ComponentModel.DataAnnotations;
using StackExchange.Redis;

namespace WeChatAssist.Server.StaffConsole;

/// <summary><c>SignalR:*</c>: how live dashboard updates reach browsers connected to other nodes.</summary>
internal sealed class LiveUpdatesOptions : IValidatableObject
{
    public const string SectionName = "SignalR";

    /// <summary>A StackExchange.Redis connection string (e.g. <c>redis.internal:6379,password=…</c>). When set, hub
    /// messages go through SignalR's Redis backplane and the node that records a payment batch publishes it once for
    /// every node; when empty, every node hears PostgreSQL's <c>NOTIFY</c> and publishes to its own browsers.</summary>
    public string? Redis { get; set; }

    /// <summary>Whether hub messages travel through the Redis backplane.</summary>
    public bool UsesBackplane => !string.IsNullOrWhiteSpace(Redis);

    /// <summary>Whether a recorded batch is signalled inside this process (SQLite, or the backplane fans it out)
    /// rather than through PostgreSQL's <c>NOTIFY</c> to every node's listener.</summary>
    public bool SignalsInProcess(Data.ISqlDialect dialect) => UsesBackplane || !dialect.HasNotifications;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!UsesBackplane)
        {
            yield break;
        }

        string? fault = null;
        try
        {
            ConfigurationOptions.Parse(Redis!);
        }
        catch (ArgumentException ex)
        {
            fault = ex.Message;
        }

        if (fault is not null)
        {
            yield return new ValidationResult($"{SectionName}:Redis is not a Redis connection string: {fault}", [nameof(Redis)]);
        }
    }
}
