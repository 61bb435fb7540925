using System.Data.Common;
using System.Globalization;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Links;

/// <summary>Share links in <c>share_links</c>, their visit counts in <c>link_visits</c>, and what each link brought.</summary>
internal sealed class ShareLinkStore(DatabaseTarget database, TimeProvider clock)
{
    private const string Columns = "code, policy_id, township, village, created_by, created_at, wechat_qr_url, mp_url_link, mp_url_link_expires_at";

    /// <summary>Creates a link for a village with a fresh code.</summary>
    public async Task<ShareLink> CreateAsync(string policyId, string township, string village, string createdBy, CancellationToken cancellationToken)
    {
        // A collision of two random codes is astronomically rare; a second draw settles it.
        for (var attempt = 0; ; attempt++)
        {
            var link = new ShareLink(ShareLinkCode.New(), policyId, township, village, createdBy, clock.GetUtcNow(), null, null, null);
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO share_links (code, policy_id, township, village, created_by, created_at)
                VALUES (@code, @policy, @township, @village, @by, @at)
                ON CONFLICT (code) DO NOTHING
                """;
            command.AddParameter("@code", link.Code);
            command.AddParameter("@policy", policyId);
            command.AddParameter("@township", township);
            command.AddParameter("@village", village);
            command.AddParameter("@by", createdBy);
            command.AddInstant(database.Provider, "@at", link.CreatedAt);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 1 || attempt >= 3)
            {
                return link;
            }
        }
    }

    public async Task<ShareLink?> FindAsync(string code, CancellationToken cancellationToken)
    {
        if (!ShareLinkCode.IsWellFormed(code))
        {
            return null;
        }

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM share_links WHERE code = @code";
        command.AddParameter("@code", code);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    /// <summary>Links within <paramref name="scope"/>, newest first, with visits, follows and attributed payments.</summary>
    public async Task<IReadOnlyList<ShareLinkStats>> ListAsync(ResidentScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns},
              COALESCE((SELECT SUM(v.visits) FROM link_visits v WHERE v.code = l.code), 0),
              (SELECT COUNT(DISTINCT f.open_id) FROM follower_scene f WHERE f.scene = 'link:' || l.code),
              (SELECT COUNT(*) FROM link_payments p WHERE p.code = l.code)
            FROM share_links l
            WHERE (@policy IS NULL OR policy_id = @policy) AND (@township IS NULL OR township = @township) AND (@village IS NULL OR village = @village)
            ORDER BY created_at DESC, code
            """;
        command.AddText("@policy", scope.PolicyId);
        command.AddText("@township", scope.Township);
        command.AddText("@village", scope.Village);
        var rows = new List<ShareLinkStats>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ShareLinkStats(Read(reader), Number(reader, 9), Number(reader, 10), Number(reader, 11)));
        }

        return rows;
    }

    /// <summary>Counts one landing-page view on <paramref name="day"/>.</summary>
    public async Task RecordVisitAsync(string code, DateOnly day, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO link_visits (code, day, visits) VALUES (@code, @day, 1)
            ON CONFLICT (code, day) DO UPDATE SET visits = link_visits.visits + 1
            """;
        command.AddParameter("@code", code);
        command.AddParameter("@day", SqlValues.Date(database.Provider, day));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Keeps the URL WeChat put in the link's parametric QR code.</summary>
    public Task SetWeChatQrAsync(string code, string url, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE share_links SET wechat_qr_url = @value WHERE code = @code", code, url, null, cancellationToken);

    /// <summary>Keeps a mini-program URL Link and its expiry.</summary>
    public Task SetUrlLinkAsync(string code, string url, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        UpdateAsync("UPDATE share_links SET mp_url_link = @value, mp_url_link_expires_at = @expires WHERE code = @code", code, url, expiresAt, cancellationToken);

    private async Task UpdateAsync(string sql, string code, string value, DateTimeOffset? expires, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("@code", code);
        command.AddParameter("@value", value);
        if (expires is { } at)
        {
            command.AddInstant(database.Provider, "@expires", at);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private ShareLink Read(DbDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.GetInstant(database.Provider, 5),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.IsDBNull(8) ? null : reader.GetInstant(database.Provider, 8));

    private static long Number(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
