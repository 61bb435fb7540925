using System.Data.Common;
using System.Text;
using Dapper;
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

/// <summary>A registry row as a bulk path reads it (an import matching its file): name still encrypted.</summary>
internal sealed record EncryptedResident(long Id, string IdHash, string NameEncrypted, string CategoryCodes);

/// <summary>A new registry row ready for a bulk write: id reserved (<see cref="ResidentRegistry.AllocateIdsAsync"/>),
/// name and ID number encrypted and hashed by the caller.</summary>
internal readonly record struct SealedResidentRow(
    long Id,
    string PolicyId,
    string Township,
    string Village,
    string NameEncrypted,
    string IdNumberEncrypted,
    string IdHash,
    DateOnly BirthDate,
    string CategoryCodes,
    int? PaidYear,
    DateOnly? PaidOn,
    DateTimeOffset CreatedAt);

/// <summary>Which residents a reader may see: a null part means any.</summary>
internal sealed record ResidentScope(string? PolicyId, string? Township, string? Village);

/// <summary>The resident registry in <c>residents</c>: names and ID numbers encrypted, ID numbers found by keyed hash.
/// The table's one store: every write of it is here or in <see cref="ResidentEditor"/> (a staff change with its
/// history); other features call these methods, on their own transaction where they need one, and compose their
/// set-based reads from <see cref="ResidentSql"/>.</summary>
internal sealed class ResidentRegistry(DatabaseTarget database, PersonalDataProtector protector, TimeProvider clock)
{
    private const string Columns = "id, policy_id, township, village, name_encrypted, id_number_encrypted, birth_date, category_codes, paid_year, paid_on, address_encrypted, household_code";

    private static readonly BulkColumn[] SealedColumns =
    [
        new("id", BulkType.Bigint), new("policy_id", BulkType.Text), new("township", BulkType.Text), new("village", BulkType.Text),
        new("name_encrypted", BulkType.Text), new("id_number_encrypted", BulkType.Text), new("id_hash", BulkType.Text),
        new("birth_date", BulkType.Date), new("category_codes", BulkType.Text), new("paid_year", BulkType.Integer),
        new("paid_on", BulkType.Date), new("created_at", BulkType.Instant),
    ];

    private static readonly BulkColumn[] CodeColumns = [new("resident_id", BulkType.Bigint), new("category_codes", BulkType.Text)];

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

    /// <summary>Writes new registry rows on the caller's transaction in one bulk write (binary COPY on PostgreSQL,
    /// prepared inserts on SQLite): an import's new residents, the demo county. <paramref name="row"/> gives each
    /// row's values; its id comes from <see cref="AllocateIdsAsync"/>. Returns the rows written.</summary>
    public static Task<int> WriteSealedAsync<T>(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, IEnumerable<T> rows, Func<T, SealedResidentRow> row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(row);
        return dialect.WriteRowsAsync(connection, transaction, "residents", SealedColumns, rows, item =>
        {
            var r = row(item);
            return [r.Id, r.PolicyId, r.Township, r.Village, r.NameEncrypted, r.IdNumberEncrypted, r.IdHash, r.BirthDate, r.CategoryCodes, r.PaidYear, r.PaidOn, r.CreatedAt];
        }, cancellationToken);
    }

    /// <summary>Replaces the category codes (comma-separated) of many residents on the caller's transaction: staged
    /// in bulk, then one set-based update. Returns the rows staged.</summary>
    public static async Task<int> SetCategoryCodesAsync(DbConnection connection, DbTransaction transaction, ISqlDialect dialect, IEnumerable<(long ResidentId, string CategoryCodes)> codes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        await dialect.CreateTemporaryTableAsync(connection, transaction, "resident_codes", CodeColumns, cancellationToken);
        var staged = await dialect.WriteRowsAsync(connection, transaction, "resident_codes", CodeColumns, codes, c => [c.ResidentId, c.CategoryCodes], cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE residents SET category_codes = s.category_codes FROM resident_codes s WHERE residents.id = s.resident_id", null, transaction, cancellationToken: cancellationToken));
        await dialect.DropTemporaryTableAsync(connection, transaction, "resident_codes", cancellationToken);
        return staged;
    }

    /// <summary>Marks residents paid from <paramref name="payments"/>, a <c>SELECT</c> of <c>resident_id</c>,
    /// <c>benefit_year</c>, <c>paid_on</c> (the ledger's rows of one batch) with its <paramref name="parameters"/>, in
    /// one statement on the caller's transaction. A later benefit year wins; an older payment recorded late never
    /// un-marks a newer one.</summary>
    public static Task<int> MarkPaidAsync(DbConnection connection, DbTransaction transaction, string payments, object? parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE residents SET paid_year = p.benefit_year, paid_on = p.paid_on
            FROM ({payments}) p
            WHERE p.resident_id = residents.id
              AND (residents.paid_year IS NULL OR residents.paid_year <= p.benefit_year)
            """,
            parameters,
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>Whether resident <paramref name="residentId"/> is in the registry, read on the caller's transaction.</summary>
    public static async Task<bool> IsRegisteredAsync(DbConnection connection, DbTransaction transaction, long residentId, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM residents WHERE id = @residentId", new { residentId }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>The residents of <paramref name="policyId"/> whose lookup hash is in <paramref name="hashes"/> (a
    /// relation with an <c>id_hash</c> column, such as an import's staged keys), names still encrypted, read on the
    /// caller's transaction.</summary>
    public static async Task<List<EncryptedResident>> ReadEncryptedByHashAsync(DbConnection connection, DbTransaction transaction, string policyId, string hashes, CancellationToken cancellationToken) =>
        (await connection.QueryAsync<EncryptedResident>(new CommandDefinition(
            $"SELECT r.id, r.id_hash, r.name_encrypted, r.category_codes FROM residents r JOIN {hashes} k ON k.id_hash = r.id_hash WHERE r.policy_id = @policyId",
            new { policyId },
            transaction,
            cancellationToken: cancellationToken))).AsList();

    /// <summary>How many residents <paramref name="policyId"/> has; all policies' when null.</summary>
    public Task<long> CountAsync(string? policyId, CancellationToken cancellationToken) =>
        policyId is null
            ? database.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents", null, cancellationToken)
            : database.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents WHERE policy_id = @policyId", new { policyId }, cancellationToken);

    /// <summary>The residents of one village not paid for <paramref name="benefitYear"/>, oldest first, at most
    /// <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<Resident>> ListUnpaidAsync(string policyId, string township, string village, int benefitYear, int limit, CancellationToken cancellationToken)
    {
        var rows = await database.QueryAsync<ResidentRow>(
            $"""
            SELECT {Columns} FROM residents r
            WHERE r.policy_id = @policyId AND r.township = @township AND r.village = @village AND {ResidentSql.Unpaid("r", "@benefitYear")}
            ORDER BY r.id LIMIT @limit
            """,
            new { policyId, township, village, benefitYear, limit },
            cancellationToken);
        return rows.ConvertAll(Decrypt);
    }

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
