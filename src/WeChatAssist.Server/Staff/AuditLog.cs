using System.Data.Common;
using Dapper;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Staff;

/// <summary>The audit trail: <c>audit_log</c> has one row per resident a staff member read or changed,
/// <c>staff_audit_log</c> the account management that concerns no resident.</summary>
internal sealed class AuditLog(DatabaseTarget database, TimeProvider clock)
{
    private const string InsertRead = "INSERT INTO audit_log (staff_user, action, resident_id, at) VALUES (@staffUser, @action, @residentId, @at)";

    public async Task RecordReadsAsync(string staffUser, string action, IEnumerable<long> residentIds, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Dapper runs the statement once per row, all in the one transaction.
        await connection.ExecuteAsync(new CommandDefinition(
            InsertRead, residentIds.Select(residentId => new { staffUser, action, residentId, at }).ToList(), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Records one action on a resident inside the caller's transaction, so the change and its trail commit together.</summary>
    public Task RecordAsync(DbConnection connection, DbTransaction transaction, string staffUser, string action, long residentId, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            InsertRead, new { staffUser, action, residentId, at = clock.GetUtcNow() }, transaction, cancellationToken: cancellationToken));

    /// <summary>Records an account-management action; <paramref name="target"/> names the account acted on.</summary>
    public Task RecordStaffActionAsync(string staffUser, string action, string target, CancellationToken cancellationToken) =>
        database.ExecuteAsync(
            "INSERT INTO staff_audit_log (staff_user, action, target, at) VALUES (@staffUser, @action, @target, @at)",
            new { staffUser, action, target, at = clock.GetUtcNow() },
            cancellationToken);
}
