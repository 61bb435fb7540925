using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Imports;

/// <summary>A registry row an import touches: decrypted name (compared, never shown unmasked), current category codes.</summary>
internal sealed record RegisteredResident(long Id, string Name, IReadOnlyList<string> CategoryCodes);

/// <summary>A category history row of a registered resident.</summary>
internal sealed record CategorySpan(long ResidentId, string CategoryCode, DateOnly? From, DateOnly? To);

/// <summary>What the registry holds for the people of one file, read inside the import's transaction.</summary>
internal sealed class RegistrySnapshot
{
    public Dictionary<string, RegisteredResident> ByHash { get; } = new(StringComparer.Ordinal);

    public List<CategorySpan> History { get; } = [];

    public HashSet<(long ResidentId, int BenefitYear)> Payments { get; } = [];
}

/// <summary>A resident the import adds; encrypted just before staging.</summary>
internal sealed record PlannedResident(string IdHash, ResidentIdNumber IdNumber, string Name, string Township, string Village, List<string> CategoryCodes);

/// <summary>A history row to insert; <see cref="Opened"/> says whether this import opened it (false for a category
/// the registry held before the history began and that this import closes or confirms).</summary>
internal sealed record PlannedSpan(string IdHash, string CategoryCode, DateOnly? From, DateOnly? To, bool Opened);

/// <summary>An open history row to close on <see cref="To"/>.</summary>
internal sealed record PlannedClose(long ResidentId, string CategoryCode, DateOnly To);

/// <summary>A payment to record.</summary>
internal sealed record PlannedPayment(string IdHash, int BenefitYear, DateOnly PaidOn, int? AmountFen);

/// <summary>Everything an import will change, decided row by row against the snapshot; applied set-based.</summary>
internal sealed class ImportPlan
{
    public List<PlannedResident> NewResidents { get; } = [];

    public Dictionary<long, List<string>> CodeUpdates { get; } = [];

    public List<PlannedSpan> Spans { get; } = [];

    public List<PlannedClose> Closes { get; } = [];

    public List<PlannedPayment> Payments { get; } = [];

    public List<ImportProblem> Problems { get; } = [];

    public int CategoriesOpened { get; set; }

    public int CategoriesClosed { get; set; }

    public int Unchanged { get; set; }

    /// <summary>Decides each row. Rows must already be free of file errors and duplicates.</summary>
    public static ImportPlan Build(ImportKind kind, IEnumerable<ValidRow> rows, RegistrySnapshot registry, ImportVocabulary texts, Func<ImportColumn, string> header, Func<string, string> categoryName)
    {
        var plan = new ImportPlan();
        var created = new Dictionary<string, PlannedResident>(StringComparer.Ordinal);
        var open = registry.History.Where(h => h.To is null).ToDictionary(h => (h.ResidentId, h.CategoryCode));
        var closed = registry.History.Where(h => h.To is not null).ToLookup(h => (h.ResidentId, h.CategoryCode));
        foreach (var row in rows)
        {
            void Problem(ImportSeverity severity, ImportColumn column, string code, params (string Name, object Value)[] values) =>
                plan.Problems.Add(new ImportProblem(row.Number, header(column), severity, code, texts.Reason(code, values), row.IdNumber.ToString(), PersonalDataMask.Name(row.Name), row.Township, row.Village));

            registry.ByHash.TryGetValue(row.IdHash, out var resident);
            if (resident is not null && !string.Equals(resident.Name, row.Name, StringComparison.Ordinal))
            {
                // A tax payment is keyed by the ID number; a differing name there is for staff to review, not a reason
                // to hold back everyone else's payments.
                Problem(kind == ImportKind.Tax ? ImportSeverity.Skipped : ImportSeverity.Error, ImportColumn.Name, "nameMismatch", ("registered", PersonalDataMask.Name(resident.Name)));
                continue;
            }

            if (kind == ImportKind.Tax && !row.Paid)
            {
                if (resident is null)
                {
                    Problem(ImportSeverity.Skipped, ImportColumn.IdNumber, "unknownPerson");
                }
                else
                {
                    plan.Unchanged++;
                }

                continue;
            }

            if (resident is null && (kind == ImportKind.Tax || row.Exit))
            {
                Problem(ImportSeverity.Skipped, ImportColumn.IdNumber, "unknownPerson");
                continue;
            }

            if (resident is null)
            {
                if (!created.TryGetValue(row.IdHash, out var planned))
                {
                    planned = new PlannedResident(row.IdHash, row.IdNumber, row.Name, row.Township, row.Village, []);
                    created.Add(row.IdHash, planned);
                    plan.NewResidents.Add(planned);
                }

                if (row.CategoryCode is { } newCode)
                {
                    planned.CategoryCodes.Add(newCode);
                    plan.Spans.Add(new PlannedSpan(row.IdHash, newCode, row.Date, null, true));
                    plan.CategoriesOpened++;
                }

                if (kind == ImportKind.Enrollment)
                {
                    plan.Payments.Add(new PlannedPayment(row.IdHash, row.BenefitYear!.Value, row.Date!.Value, row.AmountFen));
                }

                continue;
            }

            if (kind is ImportKind.Enrollment or ImportKind.Tax)
            {
                if (registry.Payments.Contains((resident.Id, row.BenefitYear!.Value)))
                {
                    plan.Unchanged++;
                }
                else
                {
                    plan.Payments.Add(new PlannedPayment(row.IdHash, row.BenefitYear.Value, row.Date!.Value, row.AmountFen));
                }

                continue;
            }

            var code = row.CategoryCode!;
            if (!plan.CodeUpdates.TryGetValue(resident.Id, out var codes))
            {
                codes = [.. resident.CategoryCodes];
            }

            if (!row.Exit)
            {
                if (open.ContainsKey((resident.Id, code)))
                {
                    plan.Unchanged++;
                }
                else if (codes.Contains(code))
                {
                    // Held before the history began: the list confirms it, the start stays unknown.
                    plan.Spans.Add(new PlannedSpan(row.IdHash, code, null, null, false));
                    plan.Unchanged++;
                }
                else
                {
                    codes.Add(code);
                    plan.CodeUpdates[resident.Id] = codes;
                    plan.Spans.Add(new PlannedSpan(row.IdHash, code, row.Date, null, true));
                    plan.CategoriesOpened++;
                }

                continue;
            }

            var exitDate = row.Date!.Value;
            if (open.TryGetValue((resident.Id, code), out var span))
            {
                if (span.From is { } from && exitDate < from)
                {
                    Problem(ImportSeverity.Error, ImportColumn.ChangeDate, "exitBeforeStart", ("value", Iso(exitDate)), ("from", Iso(from)));
                    continue;
                }

                plan.Closes.Add(new PlannedClose(resident.Id, code, exitDate));
                codes.Remove(code);
                plan.CodeUpdates[resident.Id] = codes;
                plan.CategoriesClosed++;
            }
            else if (codes.Contains(code))
            {
                plan.Spans.Add(new PlannedSpan(row.IdHash, code, null, exitDate, false));
                codes.Remove(code);
                plan.CodeUpdates[resident.Id] = codes;
                plan.CategoriesClosed++;
            }
            else if (closed[(resident.Id, code)].Any(h => h.To == exitDate))
            {
                plan.Unchanged++;
            }
            else
            {
                Problem(ImportSeverity.Skipped, ImportColumn.Category, "notInCategory", ("category", categoryName(code)));
            }
        }

        return plan;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
