using System.Data.Common;
using System.Globalization;
using WeChatAssist.Policy;
using WeChatAssist.Server.Data;

namespace WeChatAssist.Server.StaffConsole;

/// <summary>The dashboard's numbers: per-area counts, the notice's coverage indicators per group, the daily trend.
/// Three grouped queries over the counters that triggers on <c>residents</c> keep (<c>progress_area_counts</c>,
/// <c>progress_day_counts</c>, schema 9): a county of half a million residents is a few thousand counter rows. On
/// PostgreSQL they run in parallel on separate connections.</summary>
internal sealed class ProgressQueries(DatabaseTarget database, PolicyCatalog policies, TimeProvider clock)
{
    /// <summary>The snapshot of <paramref name="scope"/>, or null when its policy is not loaded.</summary>
    public async Task<ProgressSnapshot?> SnapshotAsync(ProgressScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (policies.Find(scope.PolicyId) is not { } policy)
        {
            return null;
        }

        var year = policy.BenefitYear;
        Task<List<(string Area, long Registered, long Paid)>> areas;
        Task<List<(string Codes, long Registered, long Paid)>> groups;
        Task<List<DayCount>> trend;
        if (database.Dialect.ParallelReads)
        {
            areas = AreasAsync(scope, year, cancellationToken);
            groups = CategoriesAsync(scope, year, cancellationToken);
            trend = TrendAsync(scope, year, cancellationToken);
            await Task.WhenAll(areas, groups, trend);
        }
        else
        {
            // One SQLite file: parallel readers gain nothing.
            areas = Task.FromResult(await AreasAsync(scope, year, cancellationToken));
            groups = Task.FromResult(await CategoriesAsync(scope, year, cancellationToken));
            trend = Task.FromResult(await TrendAsync(scope, year, cancellationToken));
        }

        var table = policy.Targets.Count > 0 ? policy.Targets[0] : null;
        var areaRows = Merge(scope, table, await areas);
        var registered = areaRows.Sum(a => a.Registered);
        var paid = areaRows.Sum(a => a.Paid);
        long? target = scope switch
        {
            { Village: not null } => null,
            { Township: { } t } => table?.Rows.FirstOrDefault(r => r.Name == t)?.Count,
            _ => table?.Total,
        };
        return new ProgressSnapshot(
            scope,
            policy.Name,
            year,
            table?.Title,
            registered,
            paid,
            target,
            scope.Village is null ? areaRows : [],
            Indicators(policy, await groups),
            await trend,
            clock.GetUtcNow());
    }

    /// <summary>Areas one level below the scope. A county lists every township of the target table (even with nobody
    /// registered yet) and any other township the registry has; a township lists its villages.</summary>
    private static List<AreaProgress> Merge(ProgressScope scope, TargetTable? table, List<(string Area, long Registered, long Paid)> counts)
    {
        var byName = counts.ToDictionary(c => c.Area, StringComparer.Ordinal);
        if (scope.Township is not null || table is null)
        {
            return [.. counts.Select(c => new AreaProgress(c.Area, c.Registered, c.Paid, null)).OrderBy(a => a.Name, StringComparer.Ordinal)];
        }

        var rows = table.Rows.Select(r => byName.TryGetValue(r.Name, out var c)
            ? new AreaProgress(r.Name, c.Registered, c.Paid, r.Count)
            : new AreaProgress(r.Name, 0, 0, r.Count)).ToList();
        var listed = table.Rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        rows.AddRange(counts.Where(c => !listed.Contains(c.Area)).Select(c => new AreaProgress(c.Area, c.Registered, c.Paid, null)));
        return rows;
    }

    private static List<GroupIndicator> Indicators(InsurancePolicy policy, List<(string Codes, long Registered, long Paid)> rows)
    {
        var indicators = new List<GroupIndicator>();
        foreach (var target in policy.CoverageTargets)
        {
            // A target without members is either one category named by the group (脱贫人口) or the overall rate (面上参保率).
            var names = target.Members.Count > 0 ? target.Members
                : policy.FindCategory(target.Group) is not null ? [target.Group]
                : [];
            var codes = names.Select(n => policy.FindCategory(n)?.Code).OfType<string>().ToHashSet(StringComparer.Ordinal);
            var unresolved = names.Where(n => policy.FindCategory(n) is null).ToList();
            long registered = 0, paid = 0;
            foreach (var (rowCodes, n, p) in rows)
            {
                if (names.Count == 0 || rowCodes.Split(',', StringSplitOptions.RemoveEmptyEntries).Any(codes.Contains))
                {
                    registered += n;
                    paid += p;
                }
            }

            indicators.Add(new GroupIndicator(target.Group, names, unresolved, target.Percent, target.By, registered, paid));
        }

        return indicators;
    }

    private async Task<List<(string Area, long Registered, long Paid)>> AreasAsync(ProgressScope scope, int year, CancellationToken cancellationToken)
    {
        var column = scope.Township is null ? "township" : "village";
        var rows = new List<(string, long, long)>();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, scope, year, $"SELECT {column}, SUM(residents), SUM(CASE WHEN paid_year = @year THEN residents ELSE 0 END) FROM progress_area_counts WHERE {{where}} GROUP BY {column} HAVING SUM(residents) > 0");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), Number(reader, 1), Number(reader, 2)));
        }

        return rows;
    }

    private async Task<List<(string Codes, long Registered, long Paid)>> CategoriesAsync(ProgressScope scope, int year, CancellationToken cancellationToken)
    {
        var rows = new List<(string, long, long)>();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, scope, year, "SELECT category_codes, SUM(residents), SUM(CASE WHEN paid_year = @year THEN residents ELSE 0 END) FROM progress_area_counts WHERE {where} GROUP BY category_codes");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), Number(reader, 1), Number(reader, 2)));
        }

        return rows;
    }

    /// <summary>Residents paid for the year per payment day. <c>residents.paid_on</c> (counted by day in
    /// <c>progress_day_counts</c>) is the ledger's copy of the day in <c>payment_events</c>, so the trend needs no join
    /// over half a million payments.</summary>
    private async Task<List<DayCount>> TrendAsync(ProgressScope scope, int year, CancellationToken cancellationToken)
    {
        var rows = new List<DayCount>();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, scope, year, "SELECT paid_on, SUM(residents) FROM progress_day_counts WHERE {where} AND paid_year = @year GROUP BY paid_on HAVING SUM(residents) > 0 ORDER BY paid_on");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new DayCount(reader.GetDate(database.Provider, 0)!.Value, Number(reader, 1)));
        }

        return rows;
    }

    private static DbCommand Command(DbConnection connection, ProgressScope scope, int year, string sql)
    {
        var where = "policy_id = @policy"
            + (scope.Township is null ? "" : " AND township = @township")
            + (scope.Village is null ? "" : " AND village = @village");
        var command = connection.CreateCommand();
        command.CommandText = sql.Replace("{where}", where, StringComparison.Ordinal);
        command.AddParameter("@policy", scope.PolicyId);
        command.AddParameter("@year", year);
        if (scope.Township is not null)
        {
            command.AddParameter("@township", scope.Township);
        }

        if (scope.Village is not null)
        {
            command.AddParameter("@village", scope.Village);
        }

        return command;
    }

    private static long Number(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
