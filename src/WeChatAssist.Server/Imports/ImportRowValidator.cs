using System.Globalization;
using WeChatAssist.Policy;
using WeChatAssist.Server.PersonalData;
using WeChatAssist.Server.Residents;

namespace WeChatAssist.Server.Imports;

/// <summary>How bad a row problem is: an error stops the whole file from being applied; a skipped row is left out
/// and the rest applies (a tax-file person the registry does not know, a department exit for someone not in the
/// category).</summary>
internal enum ImportSeverity
{
    Error,
    Skipped,
}

/// <summary>One problem of one row, as staff read it: the column's header as the file writes it, a precise Chinese
/// reason, the person only masked, and the township and village the row names (as the file writes them, so staff
/// find the row; empty for lists without those columns).</summary>
internal sealed record ImportProblem(int RowNumber, string Column, ImportSeverity Severity, string Code, string Reason, string IdMasked, string NameMasked, string Township, string Village);

/// <summary>A row that passed the file checks: typed values, the ID number's lookup hash.</summary>
internal sealed record ValidRow(
    int Number,
    ResidentIdNumber IdNumber,
    string IdHash,
    string Name,
    string Township,
    string Village,
    string? CategoryCode,
    bool Exit,
    DateOnly? Date,
    int? BenefitYear,
    int? AmountFen,
    bool Paid);

/// <summary>Checks one data row against its kind's rules, the policy's categories and township table, and the
/// calendar. Pure, so rows are checked in parallel.</summary>
internal sealed class ImportRowValidator(
    ImportKind kind,
    InsurancePolicy policy,
    ResidentWords words,
    ImportVocabulary texts,
    PersonalDataProtector protector,
    IReadOnlyDictionary<ImportColumn, string> headers,
    DateOnly today,
    DateOnly asOf,
    string? scopeTownship = null)
{
    // A list names a handful of categories over and over; resolve each wording once ("" when unknown).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _categories = new(StringComparer.Ordinal);

    private readonly HashSet<string> _townships = policy.Targets.SelectMany(t => t.Rows).Select(r => Compact(r.Name)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The row, or its problems (every bad column, not only the first).</summary>
    public (ValidRow? Row, List<ImportProblem>? Problems) Validate(SourceRow row)
    {
        List<ImportProblem>? problems = null;
        var rawId = row[ImportColumn.IdNumber];
        var rawName = row[ImportColumn.Name];

        // Masked only when a problem is reported: most rows have none.
        void Add(ImportColumn column, string code, params (string Name, object Value)[] values) =>
            (problems ??= []).Add(new ImportProblem(
                row.Number, Header(column), ImportSeverity.Error, code, texts.Reason(code, values), PersonalDataMask.IdNumber(Compact(rawId)), PersonalDataMask.Name(rawName),
                row[ImportColumn.Township], row[ImportColumn.Village]));

        ResidentIdNumber? idNumber = null;
        if (IsExcelNumber(rawId))
        {
            Add(ImportColumn.IdNumber, "idAsNumber", ("value", rawId));
        }
        else if (!ResidentIdNumber.TryParse(rawId, today, out idNumber, out var idError))
        {
            Add(ImportColumn.IdNumber, idError.TextKey());
        }

        var name = ResidentRegistry.NormaliseName(rawName);
        if (name.Length == 0)
        {
            Add(ImportColumn.Name, "nameEmpty");
        }
        else if (name.Any(c => char.IsDigit(c) || (char.IsPunctuation(c) && c != '·') || char.IsSymbol(c)))
        {
            Add(ImportColumn.Name, "nameInvalid");
        }

        var township = Compact(row[ImportColumn.Township]);
        var village = Compact(row[ImportColumn.Village]);
        if (kind != ImportKind.Tax)
        {
            if (township.Length == 0)
            {
                Add(ImportColumn.Township, "townshipEmpty");
            }
            else if (_townships.Count > 0 && !_townships.Contains(township))
            {
                Add(ImportColumn.Township, "townshipUnknown", ("value", township), ("known", string.Join("、", _townships)));
            }
            else if (scopeTownship is not null && !string.Equals(township, Compact(scopeTownship), StringComparison.Ordinal))
            {
                Add(ImportColumn.Township, "townshipOutOfScope", ("value", township), ("scope", scopeTownship));
            }

            if (village.Length == 0)
            {
                Add(ImportColumn.Village, "villageEmpty");
            }
        }

        string? category = null;
        var exit = false;
        DateOnly? date = null;
        int? year = null;
        int? amount = null;
        var paid = false;
        if (kind is ImportKind.Hardship or ImportKind.Changes)
        {
            var text = row[ImportColumn.Category];
            if (text.Length == 0)
            {
                Add(ImportColumn.Category, "categoryEmpty");
            }
            else if (_categories.GetOrAdd(text, t => words.Resolve(policy, t)?.Code ?? "") is { Length: > 0 } code)
            {
                category = code;
            }
            else
            {
                Add(ImportColumn.Category, "categoryUnknown", ("value", text));
            }

            date = asOf;
        }

        if (kind == ImportKind.Changes)
        {
            var type = Compact(row[ImportColumn.ChangeType]);
            if (texts.IsWord("exited", type))
            {
                exit = true;
            }
            else if (!texts.IsWord("added", type))
            {
                Add(ImportColumn.ChangeType, "changeTypeInvalid", ("value", type));
            }

            date = ParseDate(row, ImportColumn.ChangeDate, Add);
        }

        if (kind is ImportKind.Enrollment or ImportKind.Tax)
        {
            paid = kind == ImportKind.Enrollment;
            if (kind == ImportKind.Tax)
            {
                var status = Compact(row[ImportColumn.PaymentStatus]);
                paid = texts.IsWord("paid", status);
                if (!paid && !texts.IsWord("unpaid", status))
                {
                    Add(ImportColumn.PaymentStatus, "statusInvalid", ("value", status));
                }
            }

            year = ParseYear(row, Add);
            if (paid)
            {
                date = ParseDate(row, ImportColumn.PaidOn, Add);
                amount = ParseAmount(row, required: kind == ImportKind.Tax, Add);
            }
        }

        if (problems is not null)
        {
            return (null, problems);
        }

        return (new ValidRow(row.Number, idNumber!.Value, protector.LookupHash(idNumber.Value.Value), name, township, village, category, exit, date, year, amount, paid), null);
    }

    /// <summary>The column's header as the file writes it.</summary>
    public string Header(ImportColumn column) => headers.TryGetValue(column, out var header) ? header : texts.ColumnName(column);

    /// <summary>Whether a cell holds a number Excel printed in scientific notation (an ID number typed into a
    /// numeric cell has lost its last digits).</summary>
    private static bool IsExcelNumber(string text) =>
        text.Contains('E', StringComparison.OrdinalIgnoreCase) && text.Contains('+', StringComparison.Ordinal)
        && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private DateOnly? ParseDate(SourceRow row, ImportColumn column, Action<ImportColumn, string, (string, object)[]> add)
    {
        var text = row[column];
        if (text.Length == 0)
        {
            add(column, "dateEmpty", []);
            return null;
        }

        if (!TryParseDate(text, out var date))
        {
            add(column, "dateInvalid", [("value", text)]);
            return null;
        }

        if (date > today)
        {
            add(column, "dateInFuture", [("value", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))]);
            return null;
        }

        return date;
    }

    private int? ParseYear(SourceRow row, Action<ImportColumn, string, (string, object)[]> add)
    {
        var text = row[ImportColumn.BenefitYear].TrimEnd('年');
        if (text.Length != 4 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            add(ImportColumn.BenefitYear, "yearInvalid", [("value", row[ImportColumn.BenefitYear])]);
            return null;
        }

        var expected = kind == ImportKind.Enrollment ? policy.BenefitYear - 1 : policy.BenefitYear;
        if (year != expected)
        {
            add(ImportColumn.BenefitYear, kind == ImportKind.Enrollment ? "yearNotLastYear" : "yearNotPolicy", [("value", year), ("expected", expected)]);
            return null;
        }

        return year;
    }

    private static int? ParseAmount(SourceRow row, bool required, Action<ImportColumn, string, (string, object)[]> add)
    {
        var text = row[ImportColumn.Amount];
        var cleaned = text.Replace("¥", "", StringComparison.Ordinal).Replace("￥", "", StringComparison.Ordinal)
            .Replace("元", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal).Trim();
        if (cleaned.Length == 0)
        {
            if (required)
            {
                add(ImportColumn.Amount, "amountEmpty", []);
            }

            return null;
        }

        // Yuan with at most two decimals, read exactly; a spreadsheet's binary float (380.00000000001) is refused
        // rather than rounded.
        if (!decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan)
            || yuan <= 0 || yuan >= 1_000_000 || decimal.Round(yuan, 2) != yuan)
        {
            add(ImportColumn.Amount, "amountInvalid", [("value", text)]);
            return null;
        }

        return (int)(yuan * 100);
    }

    /// <summary>Dates as departments write them (2023-11-05, 2023/11/5, 2023.11.5, 2023年11月5日, 20231105, a date
    /// with a time of day) or as an Excel serial number (1900 date system).</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', 'T']);
        if (space > 0)
        {
            trimmed = trimmed[..space];
        }

        if (trimmed.Length == 8 && trimmed.All(char.IsAsciiDigit))
        {
            return DateOnly.TryParseExact(trimmed, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
        }

        // Excel serials of the years that matter have five digits (10000 is 1927-05-18, 99999 is 2173).
        var integerPart = trimmed.Split('.')[0];
        if (integerPart.Length == 5 && integerPart.All(char.IsAsciiDigit)
            && double.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var serial))
        {
            date = DateOnly.FromDateTime(DateTime.FromOADate(Math.Floor(serial)));
            return true;
        }

        var normalised = trimmed.Replace('年', '-').Replace('月', '-').Replace("日", "", StringComparison.Ordinal).Replace('/', '-').Replace('.', '-');
        return DateOnly.TryParseExact(normalised, ["yyyy-M-d", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static string Compact(string text)
    {
        if (!text.Any(char.IsWhiteSpace))
        {
            return text;
        }

        return string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
    }
}
