using System.Data.Common;
using System.Globalization;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.Residents;

/// <summary>A registry field that staff may change (after a resident's correction).</summary>
internal enum ResidentField
{
    Name,
    IdNumber,
    Address,
    Township,
    Village,
    Household,
    Category,
}

/// <summary>What became of a change.</summary>
internal enum ResidentChangeOutcome
{
    Applied,
    ResidentMissing,
    InvalidValue,
    IdNumberTaken,
}

/// <summary>One row of <c>resident_history</c>, decrypted.</summary>
internal sealed record ResidentHistoryEntry(long Id, long ResidentId, string Field, string? OldValue, string? NewValue, long? CorrectionId, string StaffUser, DateTimeOffset At);

/// <summary>Changes registry fields inside the caller's transaction and keeps every old and new value, encrypted, in
/// <c>resident_history</c>. A new 身份证 number is re-hashed, its birth date taken, and refused when another resident
/// of the county already has it.</summary>
internal sealed class ResidentEditor(DatabaseTarget database, PersonalDataProtector protector, TimeProvider clock)
{
    /// <summary>Sets <paramref name="field"/> to <paramref name="newValue"/> (already validated: a parsed ID number,
    /// category codes joined by commas) and writes the history row.</summary>
    public async Task<ResidentChangeOutcome> ChangeAsync(
        DbConnection connection,
        DbTransaction transaction,
        long residentId,
        ResidentField field,
        string newValue,
        long? correctionId,
        string staffUser,
        DateOnly today,
        CancellationToken cancellationToken)
    {
        var current = await ReadCurrentAsync(connection, transaction, residentId, cancellationToken);
        if (current is null)
        {
            return ResidentChangeOutcome.ResidentMissing;
        }

        string? oldValue;
        await using var update = connection.CreateCommand();
        update.Transaction = transaction;
        update.AddParameter("@id", residentId);
        switch (field)
        {
            case ResidentField.Name:
                oldValue = protector.Unprotect(current.NameEncrypted);
                newValue = ResidentRegistry.NormaliseName(newValue);
                update.CommandText = "UPDATE residents SET name_encrypted = @value WHERE id = @id";
                update.AddParameter("@value", protector.Protect(newValue));
                break;
            case ResidentField.IdNumber:
                if (!ResidentIdNumber.TryParse(newValue, today, out var number, out _))
                {
                    return ResidentChangeOutcome.InvalidValue;
                }

                oldValue = protector.Unprotect(current.IdNumberEncrypted);
                newValue = number.Value.Value;
                var hash = protector.LookupHash(newValue);
                if (await IdHashTakenAsync(connection, transaction, current.PolicyId, hash, residentId, cancellationToken))
                {
                    return ResidentChangeOutcome.IdNumberTaken;
                }

                update.CommandText = "UPDATE residents SET id_number_encrypted = @value, id_hash = @hash, birth_date = @birth WHERE id = @id";
                update.AddParameter("@value", protector.Protect(newValue));
                update.AddParameter("@hash", hash);
                update.AddParameter("@birth", SqlValues.Date(database.Provider, number.Value.BirthDate));
                break;
            case ResidentField.Address:
                oldValue = current.AddressEncrypted is null ? null : protector.Unprotect(current.AddressEncrypted);
                update.CommandText = "UPDATE residents SET address_encrypted = @value WHERE id = @id";
                update.AddParameter("@value", protector.Protect(newValue));
                break;
            case ResidentField.Township:
                oldValue = current.Township;
                update.CommandText = "UPDATE residents SET township = @value WHERE id = @id";
                update.AddParameter("@value", newValue);
                break;
            case ResidentField.Village:
                oldValue = current.Village;
                update.CommandText = "UPDATE residents SET village = @value WHERE id = @id";
                update.AddParameter("@value", newValue);
                break;
            case ResidentField.Household:
                oldValue = current.Household;
                update.CommandText = "UPDATE residents SET household_code = @value WHERE id = @id";
                update.AddParameter("@value", newValue);
                break;
            default:
                oldValue = current.Categories;
                update.CommandText = "UPDATE residents SET category_codes = @value WHERE id = @id";
                update.AddParameter("@value", newValue);
                break;
        }

        try
        {
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DbException ex) when (field == ResidentField.IdNumber && IsUniqueViolation(ex))
        {
            // Another transaction gave the number to someone else between the check and the update.
            return ResidentChangeOutcome.IdNumberTaken;
        }

        await using var history = connection.CreateCommand();
        history.Transaction = transaction;
        history.CommandText = """
            INSERT INTO resident_history (resident_id, field, old_value_encrypted, new_value_encrypted, correction_id, staff_user, at)
            VALUES (@resident, @field, @old, @new, @correction, @user, @now)
            """;
        history.AddParameter("@resident", residentId);
        history.AddParameter("@field", FieldName(field));
        history.AddParameter("@old", oldValue is null ? null : protector.Protect(oldValue));
        history.AddParameter("@new", protector.Protect(newValue));
        history.AddParameter("@correction", correctionId);
        history.AddParameter("@user", staffUser);
        history.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        await history.ExecuteNonQueryAsync(cancellationToken);
        return ResidentChangeOutcome.Applied;
    }

    /// <summary>A resident's changes, oldest first, values decrypted.</summary>
    public async Task<IReadOnlyList<ResidentHistoryEntry>> HistoryAsync(long residentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, resident_id, field, old_value_encrypted, new_value_encrypted, correction_id, staff_user, at
            FROM resident_history WHERE resident_id = @resident ORDER BY id
            """;
        command.AddParameter("@resident", residentId);
        var rows = new List<ResidentHistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ResidentHistoryEntry(
                reader.GetInt64(0),
                reader.GetInt64(1),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : protector.Unprotect(reader.GetString(3)),
                reader.IsDBNull(4) ? null : protector.Unprotect(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.GetString(6),
                reader.GetInstant(database.Provider, 7)));
        }

        return rows;
    }

    /// <summary>The field's name in <c>resident_history</c> and on the wire.</summary>
    public static string FieldName(ResidentField field) => field switch
    {
        ResidentField.Name => "name",
        ResidentField.IdNumber => "idNumber",
        ResidentField.Address => "address",
        ResidentField.Township => "township",
        ResidentField.Village => "village",
        ResidentField.Household => "household",
        _ => "category",
    };

    private static bool IsUniqueViolation(DbException ex) =>
        ex is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }
        || ex is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 };

    private static async Task<bool> IdHashTakenAsync(DbConnection connection, DbTransaction transaction, string policyId, string hash, long residentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM residents WHERE policy_id = @policy AND id_hash = @hash AND id <> @id";
        command.AddParameter("@policy", policyId);
        command.AddParameter("@hash", hash);
        command.AddParameter("@id", residentId);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) > 0;
    }

    private static async Task<CurrentRow?> ReadCurrentAsync(DbConnection connection, DbTransaction transaction, long residentId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT policy_id, township, village, name_encrypted, id_number_encrypted, address_encrypted, household_code, category_codes FROM residents WHERE id = @id";
        command.AddParameter("@id", residentId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new CurrentRow(
            reader.GetString(0),
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetString(7));
    }

    private sealed record CurrentRow(string PolicyId, string Township, string Village, string NameEncrypted, string IdNumberEncrypted, string? AddressEncrypted, string? Household, string Categories);
}
