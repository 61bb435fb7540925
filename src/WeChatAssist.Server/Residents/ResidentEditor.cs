using System.Data.Common;
using Dapper;
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
        string column;
        object? value = newValue;
        string? hash = null;
        DateOnly? birth = null;
        switch (field)
        {
            case ResidentField.Name:
                oldValue = protector.Unprotect(current.NameEncrypted);
                newValue = ResidentRegistry.NormaliseName(newValue);
                (column, value) = ("name_encrypted", protector.Protect(newValue));
                break;
            case ResidentField.IdNumber:
                if (!ResidentIdNumber.TryParse(newValue, today, out var number, out _))
                {
                    return ResidentChangeOutcome.InvalidValue;
                }

                oldValue = protector.Unprotect(current.IdNumberEncrypted);
                newValue = number.Value.Value;
                hash = protector.LookupHash(newValue);
                if (await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT COUNT(*) FROM residents WHERE policy_id = @PolicyId AND id_hash = @hash AND id <> @residentId",
                        new { current.PolicyId, hash, residentId }, transaction, cancellationToken: cancellationToken)) > 0)
                {
                    return ResidentChangeOutcome.IdNumberTaken;
                }

                (column, value, birth) = ("id_number_encrypted", protector.Protect(newValue), number.Value.BirthDate);
                break;
            case ResidentField.Address:
                oldValue = current.AddressEncrypted is null ? null : protector.Unprotect(current.AddressEncrypted);
                (column, value) = ("address_encrypted", protector.Protect(newValue));
                break;
            case ResidentField.Township:
                (oldValue, column) = (current.Township, "township");
                break;
            case ResidentField.Village:
                (oldValue, column) = (current.Village, "village");
                break;
            case ResidentField.Household:
                (oldValue, column) = (current.HouseholdCode, "household_code");
                break;
            default:
                (oldValue, column) = (current.CategoryCodes, "category_codes");
                break;
        }

        // The column comes from the switch above, never from input; a new ID number brings its hash and birth date.
        var extra = field == ResidentField.IdNumber ? ", id_hash = @hash, birth_date = @birth" : "";
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                $"UPDATE residents SET {column} = @value{extra} WHERE id = @residentId", new { value, hash, birth, residentId }, transaction, cancellationToken: cancellationToken));
        }
        catch (DbException ex) when (field == ResidentField.IdNumber && IsUniqueViolation(ex))
        {
            // Another transaction gave the number to someone else between the check and the update.
            return ResidentChangeOutcome.IdNumberTaken;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO resident_history (resident_id, field, old_value_encrypted, new_value_encrypted, correction_id, staff_user, at)
            VALUES (@residentId, @field, @old, @new, @correctionId, @staffUser, @now)
            """,
            new
            {
                residentId,
                field = FieldName(field),
                old = oldValue is null ? null : protector.Protect(oldValue),
                @new = protector.Protect(newValue),
                correctionId,
                staffUser,
                now = clock.GetUtcNow(),
            },
            transaction,
            cancellationToken: cancellationToken));
        return ResidentChangeOutcome.Applied;
    }

    /// <summary>The resident's category codes, the row locked until the caller's transaction ends (PostgreSQL; SQLite's
    /// write transaction already excludes other writers): what a category change starts from.</summary>
    public async Task<IReadOnlyList<string>> LockCategoriesAsync(DbConnection connection, DbTransaction transaction, long residentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var codes = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT category_codes FROM residents WHERE id = @residentId" + database.Dialect.ForUpdate, new { residentId }, transaction, cancellationToken: cancellationToken));
        return codes is null ? [] : codes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>A resident's changes, oldest first, values decrypted.</summary>
    public async Task<IReadOnlyList<ResidentHistoryEntry>> HistoryAsync(long residentId, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<ResidentHistoryEntry>(
            """
            SELECT id, resident_id, field, old_value_encrypted AS old_value, new_value_encrypted AS new_value, correction_id, staff_user, at
            FROM resident_history WHERE resident_id = @residentId ORDER BY id
            """,
            new { residentId },
            cancellationToken);
        return rows.ConvertAll(row => row with
        {
            OldValue = row.OldValue is null ? null : protector.Unprotect(row.OldValue),
            NewValue = row.NewValue is null ? null : protector.Unprotect(row.NewValue),
        });
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

    private static Task<CurrentRow?> ReadCurrentAsync(DbConnection connection, DbTransaction transaction, long residentId, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<CurrentRow>(new CommandDefinition(
            "SELECT policy_id, township, village, name_encrypted, id_number_encrypted, address_encrypted, household_code, category_codes FROM residents WHERE id = @residentId",
            new { residentId },
            transaction,
            cancellationToken: cancellationToken));

    private sealed record CurrentRow(string PolicyId, string Township, string Village, string NameEncrypted, string IdNumberEncrypted, string? AddressEncrypted, string? HouseholdCode, string CategoryCodes);
}
