using System.Data.Common;
using System.Threading.Channels;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>Batch ids of committed recordings waiting to be pushed; fed by the in-process signal (SQLite) or the
/// PostgreSQL listener.</summary>
internal sealed class ProgressFeed
{
    private readonly Channel<string> _batches = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Stands in the feed for "something may have been missed": dashboards should all refetch.</summary>
    public const string Resync = "";

    public void Post(string batchId) => _batches.Writer.TryWrite(batchId);

    public ChannelReader<string> Reader => _batches.Reader;
}

/// <summary>Signals a recorded batch from inside the recording transaction: <c>pg_notify</c> on PostgreSQL (delivered
/// to every node's listener only if the recording commits), the in-process feed on SQLite or with the Redis backplane
/// (the publisher waits for the batch to become visible, so a rolled-back batch is never pushed; the backplane carries
/// it to the other nodes' browsers).</summary>
internal sealed class ProgressSignal(DatabaseTarget database, ProgressFeed feed, Microsoft.Extensions.Options.IOptions<LiveUpdatesOptions> live) : IPaymentsRecordedParticipant
{
    /// <summary>The PostgreSQL notification channel.</summary>
    public const string Channel = "wca_progress";

    public async Task OnPaymentsRecordedAsync(DbConnection connection, DbTransaction transaction, string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (live.Value.SignalsInProcess(database.Dialect))
        {
            feed.Post(batchId);
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_notify('{Channel}', @batch)";
        command.AddParameter("@batch", batchId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
