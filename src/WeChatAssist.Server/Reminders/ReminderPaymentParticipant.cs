using System.Data.Common;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Payments;

namespace WeChatAssist.Server.Reminders;

/// <summary>When payments are recorded, in the same transaction: cancels the payers' pending reminders that ask for
/// payment and queues a receipt (with the cover start the engine quotes for the payment day). Only payments for
/// the policy's own benefit year count; last year's enrolment imported as <c>payment_events</c> is never messaged.</summary>
internal sealed class ReminderPaymentParticipant(DatabaseTarget database, PolicyCatalog catalog, SendingHours hours, BusinessClock clock) : IPaymentsRecordedParticipant
{
    /// <summary>The source imports use for last year's enrolment; never a receipt.</summary>
    public const string EnrollmentSource = "enrollment";

    public async Task OnPaymentsRecordedAsync(DbConnection connection, DbTransaction transaction, string batchId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var now = clock.GetUtcNow();
        var (start, spread) = hours.Window(now);
        foreach (var policy in catalog.All)
        {
            await ReminderOutbox.CancelPaidAsync(connection, transaction, policy.Id, batchId, policy.BenefitYear, cancellationToken);
            var occurrence = policy.BenefitYear.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // The receipt comes from the policy of the year paid for, whichever of the county's years the payer is
            // registered under (a published next year serves last year's residents).
            var receipt = new OutboxInsert(policy.Id, ReminderKinds.Receipt, ReminderKinds.Receipt, occurrence, ReminderPlanner.Channel, "{}", policy.BenefitYear,
                parameters =>
                {
                    parameters.Add("batch", batchId);
                    parameters.Add("enrollment", EnrollmentSource);
                    return "r.id IN (SELECT e.resident_id FROM payment_events e WHERE e.batch_id = @batch AND e.benefit_year = @year AND e.source <> @enrollment)";
                })
            { Audience = ReminderAudiences.County(catalog, policy) };
            await OutboxSql.InsertAsync(connection, transaction, database.Dialect, receipt, start, spread, now, cancellationToken);
        }
    }
}
