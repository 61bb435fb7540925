using System.Data.Common;
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
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The residents who came through any link are few; finding them first (a semi-join) keeps a 500,000-row tax
        // file from running the per-resident lookup below half a million times.
        command.CommandText = """
            INSERT INTO link_payments (resident_id, benefit_year, code, paid_on)
            SELECT x.resident_id, x.benefit_year, x.code, x.paid_on FROM (
              SELECT p.resident_id, p.benefit_year, p.paid_on,
                (SELECT l.code FROM resident_bindings b
                   JOIN follower_scene f ON f.open_id = b.open_id AND f.scene LIKE 'link:%'
                   JOIN share_links l ON l.code = substr(f.scene, 6)
                 WHERE b.resident_id = p.resident_id
                 ORDER BY f.id LIMIT 1) AS code
              FROM payment_events p
              WHERE p.batch_id = @batch
                AND p.resident_id IN (SELECT b.resident_id FROM resident_bindings b
                                      JOIN follower_scene f ON f.open_id = b.open_id AND f.scene LIKE 'link:%')
            ) x
            WHERE x.code IS NOT NULL
            ON CONFLICT (resident_id, benefit_year) DO NOTHING
            """;
        command.AddParameter("@batch", batchId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
