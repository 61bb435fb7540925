using System.Data.Common;
using Dapper;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;

namespace WeChatAssist.Server.Links;

/// <summary>Attributes each newly recorded payment to the share link its resident came through: a WeChat user bound
/// to the resident in the mini-program (<c>resident_bindings</c>) who arrived through a link's QR scene
/// (<c>follower_scene</c>, scene <c>link:{code}</c>). The first link the user arrived through wins.</summary>
/// <remarks>The official account and the mini-program of a county share one app id in this deployment (the chatbot
/// relies on the same), so their OpenIDs are matched directly.</remarks>
internal sealed class LinkAttribution : IPaymentsRecordedParticipant
{
    public async Task OnPaymentsRecordedAsync(DbConnection connection, DbTransaction transaction, string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);

        // The residents who came through a link are few: their first link is found once, as a set, and joined to the
        // batch, so a 500,000-row tax file does not look up each payer's bindings. No timeout of its own: an import
        // runs this on its data source, whose commands may run as long as the import allows.
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO link_payments (resident_id, benefit_year, code, paid_on)
            SELECT p.resident_id, p.benefit_year, first_link.code, p.paid_on
            FROM payment_events p
            JOIN (SELECT b.resident_id, l.code, ROW_NUMBER() OVER (PARTITION BY b.resident_id ORDER BY f.id) AS n
                  FROM resident_bindings b
                  JOIN follower_scene f ON f.open_id = b.open_id AND f.scene LIKE 'link:%'
                  JOIN share_links l ON l.code = substr(f.scene, 6)) first_link ON first_link.resident_id = p.resident_id AND first_link.n = 1
            WHERE p.batch_id = @batchId
            ON CONFLICT (resident_id, benefit_year) DO NOTHING
            """,
            new { batchId },
            transaction,
            cancellationToken: cancellationToken));
    }
}
