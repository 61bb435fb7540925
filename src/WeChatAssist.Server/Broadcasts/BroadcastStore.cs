using System.Data.Common;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>The <c>broadcasts</c> table.</summary>
internal sealed class BroadcastStore(DatabaseTarget database)
{
    private const string Columns = """
        id, policy_id, title, template_text, audience_kind, audience_township, audience_village, audience_tag_id, send_at, status, mode,
        created_by, created_at, approved_by, approved_at, cancelled_by, sent_at, mass_msg_id, last_error_code, last_error
        """;

    public async Task<long> CreateAsync(string policyId, string title, string template, BroadcastAudience audience, DateTimeOffset sendAt, string createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var provider = database.Provider;
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO broadcasts (policy_id, title, template_text, audience_kind, audience_township, audience_village, audience_tag_id, send_at, status, mode, created_by, created_at)
            VALUES (@policy, @title, @template, @kind, @township, @village, CAST(@tag AS integer), @sendAt, 'draft', @mode, @by, @now)
            RETURNING id
            """);
        command.AddParameter("@policy", policyId);
        command.AddParameter("@title", title);
        command.AddParameter("@template", template);
        command.AddParameter("@kind", audience.Kind);
        command.AddParameter("@township", audience.Township);
        command.AddParameter("@village", audience.Village);
        command.AddParameter("@tag", audience.TagId);
        command.AddInstant(provider, "@sendAt", sendAt);
        command.AddParameter("@mode", audience.IsTag ? "tag" : "outbox");
        command.AddParameter("@by", createdBy);
        command.AddInstant(provider, "@now", now);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<Broadcast?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM broadcasts WHERE id = @id");
        command.AddParameter("@id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>The newest <paramref name="limit"/> broadcasts, of one policy or of all when <paramref name="policyId"/> is null.</summary>
    public async Task<IReadOnlyList<Broadcast>> ListAsync(string? policyId, int limit, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM broadcasts WHERE (@policy IS NULL OR policy_id = @policy) ORDER BY id DESC LIMIT @limit");
        command.AddText("@policy", policyId);
        command.AddParameter("@limit", limit);
        var list = new List<Broadcast>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(Read(reader));
        }

        return list;
    }

    /// <summary>Tag broadcasts queued for sending whose time has come.</summary>
    public async Task<IReadOnlyList<Broadcast>> DueMassSendsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand($"SELECT {Columns} FROM broadcasts WHERE status = 'sending' AND mode = 'tag' AND mass_msg_id IS NULL AND send_at <= @now ORDER BY id");
        command.AddInstant(database.Provider, "@now", now);
        var due = new List<Broadcast>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(Read(reader));
        }

        return due;
    }

    /// <summary>Moves a broadcast from one of <paramref name="from"/> to <paramref name="to"/>, setting the named
    /// columns; false when it was not in one of those states (someone else moved it first).</summary>
    public async Task<bool> TransitionAsync(long id, IReadOnlyList<string> from, string to, IReadOnlyDictionary<string, object?> set, CancellationToken cancellationToken, DbConnection? connection = null, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(set);
        await using var owned = connection is null ? await database.DataSource.OpenConnectionAsync(cancellationToken) : null;
        await using var command = (connection ?? owned!).CreateCommand();
        command.Transaction = transaction;
        var assignments = string.Concat(set.Keys.Select(k => $", {k} = @{k}"));
        var states = OutboxList(command, from);
        command.CommandText = $"UPDATE broadcasts SET status = @to{assignments} WHERE id = @id AND status IN {states}";
        command.AddParameter("@to", to);
        command.AddParameter("@id", id);
        foreach (var (column, value) in set)
        {
            command.AddParameter("@" + column, value is DateTimeOffset instant ? (database.Provider == DatabaseProvider.Postgres ? instant.ToUniversalTime() : instant.ToUnixTimeMilliseconds()) : value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    private static string OutboxList(DbCommand command, IReadOnlyList<string> values) =>
        Reminders.OutboxSql.InList(command, "state", values, v => v);

    private Broadcast Read(DbDataReader reader)
    {
        var provider = database.Provider;
        DateTimeOffset? Instant(int i) => reader.IsDBNull(i) ? null : reader.GetInstant(provider, i);
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new Broadcast(
            reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            new BroadcastAudience(reader.GetString(4), Text(5), Text(6), reader.IsDBNull(7) ? null : Convert.ToInt32(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture)),
            reader.GetInstant(provider, 8), reader.GetString(9), Text(10), reader.GetString(11), reader.GetInstant(provider, 12),
            Text(13), Instant(14), Text(15), Instant(16), reader.IsDBNull(17) ? null : reader.GetInt64(17),
            reader.IsDBNull(18) ? null : Convert.ToInt32(reader.GetValue(18), System.Globalization.CultureInfo.InvariantCulture),
            Text(19));
    }
}
