using System.Data.Common;

namespace WeChatAssist.Server.Payments;

/// <summary>A feature that must change its own state when payments are recorded, atomically with the recording
/// (pending reminders cancelled, link attribution, dashboard events).</summary>
/// <remarks>Runs inside the recording transaction, after the batch's rows are in <c>payment_events</c> and the
/// residents are marked paid; select the batch set-based with
/// <c>SELECT resident_id, benefit_year, paid_on FROM payment_events WHERE batch_id = @batch</c>. A throw rolls the
/// whole recording back. On PostgreSQL a <c>NOTIFY</c> issued here is delivered only if the recording commits.</remarks>
internal interface IPaymentsRecordedParticipant
{
    Task OnPaymentsRecordedAsync(DbConnection connection, DbTransaction transaction, string batchId, CancellationToken cancellationToken);
}
