namespace WeChatAssist.Server.Residents;

/// <summary>The registry's published SQL, for the set-based statements other features compose: reminder planning over
/// a whole county, the broadcast audience, the console's progress, the import's and the ledger's registry checks.
/// Those join <c>residents</c> to their own tables in one statement; moving them into C# loops over store calls would
/// cost a round trip per resident. So the Residents feature names the fragments they may use, and the text that
/// reads <c>residents</c> lives here, next to <see cref="ResidentRegistry"/> and <see cref="ResidentEditor"/>, which
/// hold every write. A change to the table (a renamed column, a split) is made here and in the store, nowhere else.</summary>
/// <remarks>
/// <para><see cref="Roster"/> is a plain projection in <c>FROM</c>/<c>JOIN</c> position: both PostgreSQL (subquery
/// pull-up) and SQLite (the query flattener) fold it into the outer query, so the plans are those of a join on the
/// table itself — same indexes, same anti-joins, no materialisation.</para>
/// <para>It carries no encrypted column: names, ID numbers and addresses are read only through the store, which
/// decrypts them.</para>
/// </remarks>
internal static class ResidentSql
{
    /// <summary>The registry's non-personal columns as a relation to alias and join: <c>id</c>, <c>policy_id</c>,
    /// <c>township</c>, <c>village</c>, <c>id_hash</c> (the keyed lookup hash of the ID number), <c>birth_date</c>,
    /// <c>category_codes</c> (comma-separated), <c>paid_year</c>, <c>paid_on</c> (the latest benefit year paid, and
    /// when). Use: <c>FROM {ResidentSql.Roster} r</c>.</summary>
    public const string Roster =
        "(SELECT id, policy_id, township, village, id_hash, birth_date, category_codes, paid_year, paid_on FROM residents)";

    /// <summary>A condition: the resident whose id is the SQL expression <paramref name="residentId"/> is in the
    /// registry (the check PostgreSQL's row-by-row foreign keys to <c>residents</c> no longer make, schema 12).</summary>
    public static string IsRegistered(string residentId) => $"EXISTS (SELECT 1 FROM residents registered WHERE registered.id = {residentId})";

    /// <summary>A condition on roster alias <paramref name="alias"/>: not paid for the benefit year in SQL expression
    /// <paramref name="benefitYear"/> (never paid, or only for an earlier year).</summary>
    public static string Unpaid(string alias, string benefitYear) => $"({alias}.paid_year IS NULL OR {alias}.paid_year < {benefitYear})";
}
