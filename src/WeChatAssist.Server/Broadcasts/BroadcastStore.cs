using System.Data.Common;
using Dapper;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Broadcasts;

/// <summary>The <c>broadcasts</c> table, its one store; rows are mapped by Dapper.</summary>
internal sealed class BroadcastStore(DatabaseTarget database)
{
    private const string Columns = """
        id, policy_id, title, template_text, audience_kind, audience_township, audience_village, audience_tag_id, send_at, status, mode,
        created_by, created_at, approved_by, approved_at, cancelled_by, sent_at, mass_msg_id, last_error_code, last_error
        """;

    public async Task<long> CreateAsync(string policyId, string title, string template, BroadcastAudience audience, DateTimeOffset sendAt, string createdBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audience);
        return await database.ExecuteScalarAsync<long>("""
            INSERT INTO broadcasts (policy_id, title, template_text, audience_kind, audience_township, audience_village, audience_tag_id, send_at, status, mode, created_by, created_at)
            VALUES (@policyId, @title, @template, @Kind, @Township, @Village, CAST(@TagId AS integer), @sendAt, 'draft', @mode, @createdBy, @now)
            RETURNING id
            """,
            new { policyId, title, template, audience.Kind, audience.Township, audience.Village, audience.TagId, sendAt, mode = audience.IsTag ? "tag" : "outbox", createdBy, now },
            cancellationToken);
    }

    public async Task<Broadcast?> FindAsync(long id, CancellationToken cancellationToken) =>
        (await ReadAsync($"SELECT {Columns} FROM broadcasts WHERE id = @id", new { id }, cancellationToken)).SingleOrDefault();

    /// <summary>The newest <paramref name="limit"/> broadcasts, of one policy or of all when <paramref name="policyId"/> is null.</summary>
    public Task<IReadOnlyList<Broadcast>> ListAsync(string? policyId, int limit, CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {Columns} FROM broadcasts WHERE (@policyId IS NULL OR policy_id = @policyId) ORDER BY id DESC LIMIT @limit", new { policyId, limit }, cancellationToken);

    /// <summary>Tag broadcasts queued for sending whose time has come.</summary>
    public Task<IReadOnlyList<Broadcast>> DueMassSendsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ReadAsync($"SELECT {Columns} FROM broadcasts WHERE status = 'sending' AND mode = 'tag' AND mass_msg_id IS NULL AND send_at <= @now ORDER BY id", new { now }, cancellationToken);

    /// <summary>Moves a broadcast from one of <paramref name="from"/> to <paramref name="to"/>, setting the named
    /// columns; false when it was not in one of those states (someone else moved it first).</summary>
    public async Task<bool> TransitionAsync(long id, IReadOnlyList<string> from, string to, IReadOnlyDictionary<string, object?> set, CancellationToken cancellationToken, DbConnection? connection = null, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(set);
        var parameters = new DynamicParameters(new { id, to, from = from.ToArray() });
        foreach (var (column, value) in set)
        {
            parameters.Add(column, value);
        }

        var sql = $"UPDATE broadcasts SET status = @to{string.Concat(set.Keys.Select(k => $", {k} = @{k}"))} WHERE id = @id AND status {database.Dialect.AnyOf("@from")}";
        await using var owned = connection is null ? await database.DataSource.OpenConnectionAsync(cancellationToken) : null;
        return await (connection ?? owned!).ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Cancels a tag broadcast whose mass send has not gone out, inside the caller's transaction; false when
    /// it was sent or is no longer open.</summary>
    public static async Task<bool> CancelUnsentMassAsync(long id, string cancelledBy, DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE broadcasts SET status = 'cancelled', cancelled_by = @cancelledBy WHERE id = @id AND status IN ('draft', 'approved', 'sending') AND mass_msg_id IS NULL",
            new { cancelledBy, id },
            transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    private async Task<IReadOnlyList<Broadcast>> ReadAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        [.. (await database.QueryAsync<BroadcastRow>(sql, parameters, cancellationToken)).Select(r => new Broadcast(
            r.Id, r.PolicyId, r.Title, r.TemplateText, new BroadcastAudience(r.AudienceKind, r.AudienceTownship, r.AudienceVillage, r.AudienceTagId),
            r.SendAt, r.Status, r.Mode, r.CreatedBy, r.CreatedAt, r.ApprovedBy, r.ApprovedAt, r.CancelledBy, r.SentAt, r.MassMsgId, r.LastErrorCode, r.LastError))];

    /// <summary>A row of <see cref="Columns"/> as stored, in column order.</summary>
    private sealed record BroadcastRow(
        long Id, string PolicyId, string Title, string TemplateText, string AudienceKind, string? AudienceTownship, string? AudienceVillage, int? AudienceTagId,
        DateTimeOffset SendAt, string Status, string? Mode, string CreatedBy, DateTimeOffset CreatedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt,
        string? CancelledBy, DateTimeOffset? SentAt, long? MassMsgId, int? LastErrorCode, string? LastError);
}
