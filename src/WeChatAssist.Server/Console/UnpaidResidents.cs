using System.Globalization;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.PersonalData;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>A resident of the cadre's list who has not paid for the benefit year, masked (name and partial ID number);
/// categories by the notice's names.</summary>
internal sealed record UnpaidResident(long Id, string Name, string IdNumber, IReadOnlyList<string> Categories, int? PaidYear);

/// <summary>Reads a village's unpaid residents, decrypting only to mask.</summary>
internal sealed class UnpaidResidents(DatabaseTarget database, PersonalDataProtector protector, WeChatAssist.Policy.PolicyCatalog policies)
{
    /// <summary>At most this many rows per read; a village rarely has more unpaid residents than this.</summary>
    public const int Limit = 2000;

    public async Task<IReadOnlyList<UnpaidResident>> ListAsync(ProgressScope scope, int benefitYear, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, name_encrypted, id_number_encrypted, category_codes, paid_year FROM residents
            WHERE policy_id = @policy AND township = @township AND village = @village AND (paid_year IS NULL OR paid_year < @year)
            ORDER BY id LIMIT @limit
            """;
        command.AddParameter("@policy", scope.PolicyId);
        command.AddParameter("@township", scope.Township);
        command.AddParameter("@village", scope.Village);
        command.AddParameter("@year", benefitYear);
        command.AddParameter("@limit", Limit);
        var policy = policies.Find(scope.PolicyId);
        var rows = new List<UnpaidResident>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UnpaidResident(
                reader.GetInt64(0),
                PersonalDataMask.Name(protector.Unprotect(reader.GetString(1))),
                PersonalDataMask.IdNumber(protector.Unprotect(reader.GetString(2))),
                [.. reader.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => policy?.FindCategoryByCode(c)?.Name ?? c)],
                reader.IsDBNull(4) ? null : Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
