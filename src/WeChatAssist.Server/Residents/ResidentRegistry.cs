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

    public Task<long> InsertAsync(NewResident resident, CancellationToken cancellationToken) =>
        database.ExecuteScalarAsync<long>(
            """
            INSERT INTO residents (policy_id, township, village, name_encrypted, id_number_encrypted, id_hash, birth_date, category_codes, paid_year, paid_on, created_at)
            VALUES (@PolicyId, @Township, @Village, @name, @number, @hash, @birth, @categories, @PaidYear, @PaidOn, @now)
            RETURNING id
            """,
            new
            {
                resident.PolicyId,
                resident.Township,
                resident.Village,
                name = protector.Protect(NormaliseName(resident.Name)),
                number = protector.Protect(resident.IdNumber.Value),
                hash = protector.LookupHash(resident.IdNumber.Value),
                birth = resident.IdNumber.BirthDate,
                categories = string.Join(',', resident.CategoryCodes),
                resident.PaidYear,
                resident.PaidOn,
                now = clock.GetUtcNow(),
            },
            cancellationToken);

    /// <summary>Reserves <paramref name="count"/> new <c>residents.id</c> values for rows a bulk path writes itself:
    /// from the sequence on PostgreSQL (concurrent writers may interleave; each id nextval hands out is ours), past the
    /// highest id and AUTOINCREMENT's high-water mark on SQLite (the transaction holds the write lock; explicit ids
    /// move the high-water mark on). The SQL is the dialect's (<see cref="ISqlDialect.AllocateIdsAsync"/>).</summary>
    public static Task<IReadOnlyList<long>> AllocateIdsAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, int count, CancellationToken cancellationToken) =>
        ISqlDialect.For(provider).AllocateIdsAsync(connection, transaction, "residents", count, cancellationToken);

    /// <summary>The resident of <paramref name="policyId"/> with this ID number, found by its keyed hash.</summary>
    public async Task<Resident?> FindAsync(string policyId, ResidentIdNumber idNumber, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<ResidentRow>(
            $"SELECT {Columns} FROM residents WHERE policy_id = @policyId AND id_hash = @hash",
            new { policyId, hash = protector.LookupHash(idNumber.Value) },
            cancellationToken);
        return rows.Count == 0 ? null : Decrypt(rows[0]);
    }

    public async Task<IReadOnlyList<Resident>> GetAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await database.QueryAsync<ResidentRow>(
            $"SELECT {Columns} FROM residents WHERE id {database.Dialect.AnyOf("@ids")} ORDER BY id", new { ids = ids.ToArray() }, cancellationToken);
        return rows.ConvertAll(Decrypt);
    }

    /// <summary>Residents within <paramref name="scope"/>, oldest first, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Resident>> ListAsync(ResidentScope scope, int limit, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<ResidentRow>(
            $"""
            SELECT {Columns} FROM residents
            WHERE (@PolicyId IS NULL OR policy_id = @PolicyId) AND (@Township IS NULL OR township = @Township) AND (@Village IS NULL OR village = @Village)
            ORDER BY id LIMIT @limit
            """,
            new { scope.PolicyId, scope.Township, scope.Village, limit },
            cancellationToken);
        return rows.ConvertAll(Decrypt);
    }

    /// <summary>The first <paramref name="limit"/> residents of <paramref name="policyId"/> who are neither bound nor
    /// paid, oldest first (the demo's binding form offers them).</summary>
    public async Task<IReadOnlyList<Resident>> ListUnboundUnpaidAsync(string policyId, int limit, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<ResidentRow>(
            $"""
            SELECT {Columns} FROM residents r
            WHERE r.policy_id = @policyId AND r.paid_year IS NULL
              AND NOT EXISTS (SELECT 1 FROM resident_bindings b WHERE b.resident_id = r.id)
            ORDER BY r.id LIMIT @limit
            """,
            new { policyId, limit },
            cancellationToken);
        return rows.ConvertAll(Decrypt);
    }

    /// <summary>The encrypted name of the first resident, or <see langword="null"/> when the registry is empty: what
    /// the start-up key check tries to open.</summary>
    public Task<string?> FirstStoredNameAsync(CancellationToken cancellationToken) =>
        database.QuerySingleOrDefaultAsync<string>("SELECT name_encrypted FROM residents ORDER BY id LIMIT 1", null, cancellationToken);

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

    private Resident Decrypt(ResidentRow row) => new(
        row.Id,
        row.PolicyId,
        row.Township,
        row.Village,
        protector.Unprotect(row.NameEncrypted),
        protector.Unprotect(row.IdNumberEncrypted),
        row.BirthDate,
        row.CategoryCodes.Split(',', StringSplitOptions.RemoveEmptyEntries),
        row.PaidYear,
        row.PaidOn,
        row.AddressEncrypted is null ? null : protector.Unprotect(row.AddressEncrypted),
        row.HouseholdCode);

    /// <summary>A <c>residents</c> row as stored (<see cref="Columns"/>, in order).</summary>
    private sealed record ResidentRow(
        long Id,
        string PolicyId,
        string Township,
        string Village,
        string NameEncrypted,
        string IdNumberEncrypted,
        DateOnly BirthDate,
        string CategoryCodes,
        int? PaidYear,
        DateOnly? PaidOn,
        string? AddressEncrypted,
        string? HouseholdCode);
}
