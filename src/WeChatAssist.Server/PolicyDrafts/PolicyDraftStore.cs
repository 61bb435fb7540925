using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using WeChatAssist.Policy;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.PolicyDrafts;

/// <summary>A stored draft: the uploaded YAML, its check faults when uploaded, and who uploaded and approved it.</summary>
internal sealed record PolicyDraft(long Id, string? PolicyId, string? County, string FileName, string Yaml, IReadOnlyList<PolicyFault> Faults, string Status,
    string UploadedBy, DateTimeOffset UploadedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt);

/// <summary>One published version of a policy.</summary>
internal sealed record PublishedPolicy(string PolicyId, int Version, string Yaml, long DraftId, string UploadedBy, string ApprovedBy, DateTimeOffset PublishedAt);

/// <summary>What an approval did.</summary>
internal enum PublishOutcome
{
    Published,
    NotFound,
    AlreadyPublished,
    OwnDraft,
    HasFaults,
}

/// <summary><c>policy_drafts</c> and <c>published_policies</c>. Published rows are only ever inserted (the schema refuses
/// updates and deletes): a correction is the next version.</summary>
internal sealed class PolicyDraftStore(DatabaseTarget database, TimeProvider clock)
{
    public const string Draft = "draft";
    public const string Published = "published";

    private const string DraftColumns = "id, policy_id, county, file_name, yaml, faults, status, uploaded_by, uploaded_at, approved_by, approved_at";

    public async Task<long> AddDraftAsync(string? policyId, string? county, string fileName, string yaml, IReadOnlyList<PolicyFault> faults, string uploadedBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, """
            INSERT INTO policy_drafts (policy_id, county, file_name, yaml, faults, status, uploaded_by, uploaded_at)
            VALUES (@policy, @county, @file, @yaml, @faults, 'draft', @user, @at) RETURNING id
            """);
        command.AddText("@policy", policyId);
        command.AddText("@county", county);
        command.AddText("@file", fileName);
        command.AddText("@yaml", yaml);
        command.AddText("@faults", JsonSerializer.Serialize(faults, JsonSerializerOptions.Web));
        command.AddText("@user", uploadedBy);
        command.AddInstant(database.Provider, "@at", clock.GetUtcNow());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<PolicyDraft?> GetDraftAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"SELECT {DraftColumns} FROM policy_drafts WHERE id = @id");
        command.AddParameter("@id", id);
        return (await ReadDraftsAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>The newest drafts, newest first.</summary>
    public async Task<IReadOnlyList<PolicyDraft>> ListDraftsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, $"SELECT {DraftColumns} FROM policy_drafts ORDER BY id DESC LIMIT @limit");
        command.AddParameter("@limit", limit);
        return await ReadDraftsAsync(command, cancellationToken);
    }

    /// <summary>
    /// Publishes a draft as the next version of its policy id, in one transaction with the draft's status; a second
    /// approver racing the first finds it already published.
    /// </summary>
    public async Task<(PublishOutcome Outcome, int Version)> PublishAsync(long id, string approvedBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        PolicyDraft? draft;
        await using (var read = connection.Command(transaction, $"SELECT {DraftColumns} FROM policy_drafts WHERE id = @id"))
        {
            read.AddParameter("@id", id);
            draft = (await ReadDraftsAsync(read, cancellationToken)).SingleOrDefault();
        }

        var refusal = draft switch
        {
            null => PublishOutcome.NotFound,
            { Status: not Draft } => PublishOutcome.AlreadyPublished,
            _ when string.Equals(draft.UploadedBy, approvedBy, StringComparison.Ordinal) => PublishOutcome.OwnDraft,
            { Faults.Count: > 0 } or { PolicyId: null } => PublishOutcome.HasFaults,
            _ => PublishOutcome.Published,
        };
        if (refusal != PublishOutcome.Published)
        {
            return (refusal, 0);
        }

        var now = clock.GetUtcNow();
        await using (var claim = connection.Command(transaction, "UPDATE policy_drafts SET status = 'published', approved_by = @user, approved_at = @at WHERE id = @id AND status = 'draft'"))
        {
            claim.AddParameter("@id", id);
            claim.AddText("@user", approvedBy);
            claim.AddInstant(database.Provider, "@at", now);
            if (await claim.ExecuteNonQueryAsync(cancellationToken) != 1)
            {
                return (PublishOutcome.AlreadyPublished, 0);
            }
        }

        int version;
        await using (var next = connection.Command(transaction, "SELECT COALESCE(MAX(version), 0) + 1 FROM published_policies WHERE policy_id = @policy"))
        {
            next.AddText("@policy", draft!.PolicyId);
            version = Convert.ToInt32(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        await using (var insert = connection.Command(transaction, """
            INSERT INTO published_policies (policy_id, version, yaml, draft_id, uploaded_by, approved_by, published_at)
            VALUES (@policy, @version, @yaml, @draft, @uploader, @approver, @at)
            """))
        {
            insert.AddText("@policy", draft.PolicyId);
            insert.AddParameter("@version", version);
            insert.AddText("@yaml", draft.Yaml);
            insert.AddParameter("@draft", id);
            insert.AddText("@uploader", draft.UploadedBy);
            insert.AddText("@approver", approvedBy);
            insert.AddInstant(database.Provider, "@at", now);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (PublishOutcome.Published, version);
    }

    /// <summary>The newest version of each published policy id.</summary>
    public async Task<IReadOnlyList<PublishedPolicy>> LatestPublishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, """
            SELECT p.policy_id, p.version, p.yaml, p.draft_id, p.uploaded_by, p.approved_by, p.published_at
            FROM published_policies p
            WHERE p.version = (SELECT MAX(q.version) FROM published_policies q WHERE q.policy_id = p.policy_id)
            ORDER BY p.policy_id
            """);
        var list = new List<PublishedPolicy>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PublishedPolicy(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
                reader.GetInstant(database.Provider, 6)));
        }

        return list;
    }

    /// <summary>A cheap fingerprint of everything published (count and newest instant): the poller reloads only when it changes.</summary>
    public async Task<string> PublishedStampAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.Command(null, "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM published_policies");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)}/{reader.GetInt64(1)}");
    }

    private async Task<IReadOnlyList<PolicyDraft>> ReadDraftsAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var list = new List<PolicyDraft>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PolicyDraft(
                reader.GetInt64(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                JsonSerializer.Deserialize<List<PolicyFault>>(reader.GetString(5), JsonSerializerOptions.Web) ?? [],
                reader.GetString(6),
                reader.GetString(7),
                reader.GetInstant(database.Provider, 8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetInstant(database.Provider, 10)));
        }

        return list;
    }
}
