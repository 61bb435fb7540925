using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.Staff;

/// <summary>The audit trail in <c>audit_log</c>: one row per resident a staff member read.</summary>
internal sealed class AuditLog(DatabaseTarget database, TimeProvider clock)
{
    public async Task RecordReadsAsync(string staffUser, string action, IEnumerable<long> residentIds, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var id in residentIds)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO audit_log (staff_user, action, resident_id, at) VALUES (@user, @action, @resident, @at)";
            command.AddParameter("@user", staffUser);
            command.AddParameter("@action", action);
            command.AddParameter("@resident", id);
            command.AddInstant(database.Provider, "@at", now);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }
}
