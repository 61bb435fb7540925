using System.Globalization;
using Dapper;
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

    public Task<long> AddDraftAsync(string? policyId, string? county, string fileName, string yaml, IReadOnlyList<PolicyFault> faults, string uploadedBy, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<long>(
            """
            INSERT INTO policy_drafts (policy_id, county, file_name, yaml, faults, status, uploaded_by, uploaded_at)
            VALUES (@policyId, @county, @fileName, @yaml, @faults, 'draft', @uploadedBy, @at) RETURNING id
            """,
            new { policyId, county, fileName, yaml, faults = JsonSerializer.Serialize(faults, JsonSerializerOptions.Web), uploadedBy, at = clock.GetUtcNow() },
            cancellationToken);

    public async Task<PolicyDraft?> GetDraftAsync(long id, CancellationToken cancellationToken) =>
        (await database.QuerySingleOrDefaultAsync<DraftRow>($"SELECT {DraftColumns} FROM policy_drafts WHERE id = @id", new { id }, cancellationToken))?.ToDraft();

    /// <summary>The newest drafts, newest first.</summary>
    public async Task<IReadOnlyList<PolicyDraft>> ListDraftsAsync(int limit, CancellationToken cancellationToken) =>
        (await database.QueryAsync<DraftRow>($"SELECT {DraftColumns} FROM policy_drafts ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken))
            .ConvertAll(row => row.ToDraft());

    /// <summary>
    /// Publishes a draft as the next version of its policy id, in one transaction with the draft's status; a second
    /// approver racing the first finds it already published.
    /// </summary>
    public async Task<(PublishOutcome Outcome, int Version)> PublishAsync(long id, string approvedBy, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var draft = (await connection.QuerySingleOrDefaultAsync<DraftRow>(new CommandDefinition(
            $"SELECT {DraftColumns} FROM policy_drafts WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken)))?.ToDraft();

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
        var claimed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE policy_drafts SET status = 'published', approved_by = @approvedBy, approved_at = @now WHERE id = @id AND status = 'draft'",
            new { id, approvedBy, now },
            transaction,
            cancellationToken: cancellationToken));
        if (claimed != 1)
        {
            return (PublishOutcome.AlreadyPublished, 0);
        }

        var version = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM published_policies WHERE policy_id = @PolicyId", new { draft!.PolicyId }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO published_policies (policy_id, version, yaml, draft_id, uploaded_by, approved_by, published_at)
            VALUES (@PolicyId, @version, @Yaml, @id, @UploadedBy, @approvedBy, @now)
            """,
            new { draft.PolicyId, version, draft.Yaml, id, draft.UploadedBy, approvedBy, now },
            transaction,
            cancellationToken: cancellationToken));

        await transaction.CommitAsync(cancellationToken);
        return (PublishOutcome.Published, version);
    }

    /// <summary>The newest version of each published policy id.</summary>
    public async Task<IReadOnlyList<PublishedPolicy>> LatestPublishedAsync(CancellationToken cancellationToken) =>
        await database.QueryAsync<PublishedPolicy>(
            """
            SELECT p.policy_id, p.version, p.yaml, p.draft_id, p.uploaded_by, p.approved_by, p.published_at
            FROM published_policies p
            WHERE p.version = (SELECT MAX(q.version) FROM published_policies q WHERE q.policy_id = p.policy_id)
            ORDER BY p.policy_id
            """,
            null,
            cancellationToken);

    /// <summary>A cheap fingerprint of everything published (count and newest instant): the poller reloads only when it changes.</summary>
    public async Task<string> PublishedStampAsync(CancellationToken cancellationToken)
    {
        var (count, versions) = await database.QuerySingleOrDefaultAsync<(long Count, long Versions)>(
            "SELECT COUNT(*), COALESCE(SUM(version), 0) FROM published_policies", null, cancellationToken);
        return string.Create(CultureInfo.InvariantCulture, $"{count}/{versions}");
    }

    /// <summary>A <c>policy_drafts</c> row (<see cref="DraftColumns"/>); the faults are JSON text.</summary>
    private sealed record DraftRow(long Id, string? PolicyId, string? County, string FileName, string Yaml, string Faults, string Status,
        string UploadedBy, DateTimeOffset UploadedAt, string? ApprovedBy, DateTimeOffset? ApprovedAt)
    {
        public PolicyDraft ToDraft() => new(Id, PolicyId, County, FileName, Yaml,
            JsonSerializer.Deserialize<List<PolicyFault>>(Faults, JsonSerializerOptions.Web) ?? [], Status, UploadedBy, UploadedAt, ApprovedBy, ApprovedAt);
    }
}
