using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Links;

/// <summary>Share links in <c>share_links</c>, their visit counts in <c>link_visits</c>, and what each link brought.</summary>
internal sealed class ShareLinkStore(DatabaseTarget database, TimeProvider clock)
{
    private const string Columns = "code, policy_id, township, village, created_by, created_at, wechat_qr_url, mp_url_link AS mini_program_url_link, mp_url_link_expires_at AS mini_program_url_link_expires_at";

    /// <summary>Creates a link for a village with a fresh code.</summary>
    public async Task<ShareLink> CreateAsync(string policyId, string township, string village, string createdBy, CancellationToken cancellationToken)
    {
        // A collision of two random codes is astronomically rare; a second draw settles it.
        for (var attempt = 0; ; attempt++)
        {
            var link = new ShareLink(ShareLinkCode.New(), policyId, township, village, createdBy, clock.GetUtcNow(), null, null, null);
            var inserted = await database.ExecuteAsync(
                """
                INSERT INTO share_links (code, policy_id, township, village, created_by, created_at)
                VALUES (@Code, @PolicyId, @Township, @Village, @CreatedBy, @CreatedAt)
                ON CONFLICT (code) DO NOTHING
                """,
                new { link.Code, link.PolicyId, link.Township, link.Village, link.CreatedBy, link.CreatedAt },
                cancellationToken);
            if (inserted == 1 || attempt >= 3)
            {
                return link;
            }
        }
    }

    public async Task<ShareLink?> FindAsync(string code, CancellationToken cancellationToken) =>
        !ShareLinkCode.IsWellFormed(code) ? null
        : await database.QuerySingleOrDefaultAsync<ShareLink>($"SELECT {Columns} FROM share_links WHERE code = @code", new { code }, cancellationToken);

    /// <summary>Links within <paramref name="scope"/>, newest first, with visits, follows and attributed payments.</summary>
    public async Task<IReadOnlyList<ShareLinkStats>> ListAsync(ResidentScope scope, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<LinkRow>(
            $"""
            SELECT {Columns},
              COALESCE((SELECT SUM(v.visits) FROM link_visits v WHERE v.code = l.code), 0) AS visits,
              (SELECT COUNT(DISTINCT f.open_id) FROM follower_scene f WHERE f.scene = 'link:' || l.code) AS follows,
              (SELECT COUNT(*) FROM link_payments p WHERE p.code = l.code) AS payments
            FROM share_links l
            WHERE (@PolicyId IS NULL OR policy_id = @PolicyId) AND (@Township IS NULL OR township = @Township) AND (@Village IS NULL OR village = @Village)
            ORDER BY created_at DESC, code
            """,
            new { scope.PolicyId, scope.Township, scope.Village },
            cancellationToken);
        return rows.ConvertAll(r => new ShareLinkStats(
            new ShareLink(r.Code, r.PolicyId, r.Township, r.Village, r.CreatedBy, r.CreatedAt, r.WeChatQrUrl, r.MiniProgramUrlLink, r.MiniProgramUrlLinkExpiresAt),
            r.Visits,
            r.Follows,
            r.Payments));
    }

    /// <summary>Counts one landing-page view on <paramref name="day"/>.</summary>
    public Task RecordVisitAsync(string code, DateOnly day, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            """
            INSERT INTO link_visits (code, day, visits) VALUES (@code, @day, 1)
            ON CONFLICT (code, day) DO UPDATE SET visits = link_visits.visits + 1
            """,
            new { code, day },
            cancellationToken);

    /// <summary>Keeps the URL WeChat put in the link's parametric QR code.</summary>
    public Task SetWeChatQrAsync(string code, string url, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE share_links SET wechat_qr_url = @url WHERE code = @code", new { code, url }, cancellationToken);

    /// <summary>Keeps a mini-program URL Link and its expiry.</summary>
    public Task SetUrlLinkAsync(string code, string url, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.ExecuteAsync("UPDATE share_links SET mp_url_link = @url, mp_url_link_expires_at = @expiresAt WHERE code = @code", new { code, url, expiresAt }, cancellationToken);

    /// <summary>A <c>share_links</c> row (<see cref="Columns"/>, in order) with its three counts.</summary>
    private sealed record LinkRow(
        string Code, string PolicyId, string Township, string Village, string CreatedBy, DateTimeOffset CreatedAt,
        string? WeChatQrUrl, string? MiniProgramUrlLink, DateTimeOffset? MiniProgramUrlLinkExpiresAt, long Visits, long Follows, long Payments);
}
