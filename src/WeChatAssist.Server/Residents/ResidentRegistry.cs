using System.Data.Common;
using System.Text;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.Residents;

/// <summary>A resident to add to the registry (from an import, or a test's seed).</summary>
internal sealed record NewResident(
    string PolicyId,
    string Township,
    string Village,
    string Name,
    ResidentIdNumber IdNumber,
    IReadOnlyList<string> CategoryCodes,
    int? PaidYear = null,
    DateOnly? PaidOn = null);

/// <summary>A registry row, decrypted. Show <see cref="Name"/> and <see cref="IdNumber"/> only masked.</summary>
internal sealed record Resident(
    long Id,
    string PolicyId,
    string Township,
    string Village,
    string Name,
    string IdNumber,
    DateOnly BirthDate,
    IReadOnlyList<string> CategoryCodes,
    int? PaidYear,
    DateOnly? PaidOn,
    string? Address = null,
    string? Household = null);

/// <summary>Which residents a reader may see: a null part means any.</summary>
internal sealed record ResidentScope(string? PolicyId, string? Township, string? Village);

/// <summary>The resident registry in <c>residents</c>: names and ID numbers encrypted, ID numbers found by keyed hash.</summary>
internal sealed class ResidentRegistry(DatabaseTarget database, PersonalDataProtector protector, TimeProvider clock)
{
    private const string Columns = "id, policy_id, township, village, name_encrypted, id_number_encrypted, birth_date, category_codes, paid_year, paid_on, address_encrypted, household_code";

    public async Task<long> InsertAsync(NewResident resident, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO residents (policy_id, township, village, name_encrypted, id_number_encrypted, id_hash, birth_date, category_codes, paid_year, paid_on, created_at)
            VALUES (@policy, @township, @village, @name, @number, @hash, @birth, @categories, @paidYear, @paidOn, @now)
            RETURNING id
            """;
        command.AddParameter("@policy", resident.PolicyId);
        command.AddParameter("@township", resident.Township);
        command.AddParameter("@village", resident.Village);
        command.AddParameter("@name", protector.Protect(NormaliseName(resident.Name)));
        command.AddParameter("@number", protector.Protect(resident.IdNumber.Value));
        command.AddParameter("@hash", protector.LookupHash(resident.IdNumber.Value));
        command.AddParameter("@birth", SqlValues.Date(database.Provider, resident.IdNumber.BirthDate));
        command.AddParameter("@categories", string.Join(',', resident.CategoryCodes));
        command.AddParameter("@paidYear", resident.PaidYear);
        command.AddParameter("@paidOn", SqlValues.Date(database.Provider, resident.PaidOn));
        command.AddInstant(database.Provider, "@now", clock.GetUtcNow());
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reserves <paramref name="count"/> new <c>residents.id</c> values for rows a bulk path writes itself:
    /// from the sequence on PostgreSQL (concurrent writers may interleave; each id nextval hands out is ours), past the
    /// highest id and AUTOINCREMENT's high-water mark on SQLite (the transaction holds the write lock; explicit ids
    /// move the high-water mark on).</summary>
    public static async Task<IReadOnlyList<long>> AllocateIdsAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;

        // A million ids from the sequence is one statement that may outlast the default 30 s on a busy server.
        command.CommandTimeout = 600;
        if (provider == DatabaseProvider.Postgres)
        {
            command.CommandText = "SELECT nextval(pg_get_serial_sequence('residents', 'id')) FROM generate_series(1, @count)";
            command.AddParameter("@count", count);
            var allocated = new List<long>(count);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    allocated.Add(reader.GetInt64(0));
                }
            }

            return allocated;
        }

        command.CommandText = "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'residents'), 0), COALESCE((SELECT MAX(id) FROM residents), 0))";
        var first = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) + 1;
        return [.. Enumerable.Range(0, count).Select(i => first + i)];
    }

    /// <summary>The resident of <paramref name="policyId"/> with this ID number, found by its keyed hash.</summary>
    public async Task<Resident?> FindAsync(string policyId, ResidentIdNumber idNumber, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM residents WHERE policy_id = @policy AND id_hash = @hash";
        command.AddParameter("@policy", policyId);
        command.AddParameter("@hash", protector.LookupHash(idNumber.Value));
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<Resident>> GetAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var names = ids.Select((id, i) => "@id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        command.CommandText = $"SELECT {Columns} FROM residents WHERE id IN ({string.Join(", ", names)}) ORDER BY id";
        foreach (var (id, name) in ids.Zip(names))
        {
            command.AddParameter(name, id);
        }

        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Residents within <paramref name="scope"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Resident>> ListAsync(ResidentScope scope, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM residents
            WHERE (@policy IS NULL OR policy_id = @policy) AND (@township IS NULL OR township = @township) AND (@village IS NULL OR village = @village)
            ORDER BY id LIMIT @limit
            """;
        command.AddText("@policy", scope.PolicyId);
        command.AddText("@township", scope.Township);
        command.AddText("@village", scope.Village);
        command.AddParameter("@limit", limit);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Names compare without spaces (full-width ones included) and with the middle dots of minority names unified.</summary>
    public static string NormaliseName(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(c is '．' or '•' or '・' or '‧' or '.' ? '·' : c);
            }
        }

        return builder.ToString();
    }

    private async Task<List<Resident>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<Resident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new Resident(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                protector.Unprotect(reader.GetString(4)),
                protector.Unprotect(reader.GetString(5)),
                reader.GetDate(database.Provider, 6)!.Value,
                reader.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries),
                reader.IsDBNull(8) ? null : reader.GetInt32(8),
                reader.GetDate(database.Provider, 9),
                reader.IsDBNull(10) ? null : protector.Unprotect(reader.GetString(10)),
                reader.IsDBNull(11) ? null : reader.GetString(11)));
        }

        return rows;
    }
}
