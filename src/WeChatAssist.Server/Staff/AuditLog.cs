using System.Data.Common;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Staff;

/// <summary>The audit trail: <c>audit_log</c> has one row per resident a staff member read or changed,
/// <c>staff_audit_log</c> the account management that concerns no resident.</summary>
internal sealed class AuditLog(DatabaseTarget database, TimeProvider clock)
{
    public async Task RecordReadsAsync(string staffUser, string action, IEnumerable<long> residentIds, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in residentIds)
        {
            await RecordAsync(connection, transaction, staffUser, action, id, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records one action on a resident inside the caller's transaction, so the change and its trail commit together.</summary>
    public async Task RecordAsync(DbConnection connection, DbTransaction transaction, string staffUser, string action, long residentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO audit_log (staff_user, action, resident_id, at) VALUES (@user, @action, @resident, @at)";
        command.AddParameter("@user", staffUser);
        command.AddParameter("@action", action);
        command.AddParameter("@resident", residentId);
        command.AddInstant(database.Provider, "@at", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records an account-management action; <paramref name="target"/> names the account acted on.</summary>
    public async Task RecordStaffActionAsync(string staffUser, string action, string target, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO staff_audit_log (staff_user, action, target, at) VALUES (@user, @action, @target, @at)";
        command.AddParameter("@user", staffUser);
        command.AddParameter("@action", action);
        command.AddParameter("@target", target);
        command.AddInstant(database.Provider, "@at", clock.GetUtcNow());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
