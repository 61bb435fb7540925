using System.Globalization;
using Microsoft.Extensions.Primitives;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Policies;

/// <summary>The quote endpoint's query string, parsed strictly: every bad value is reported with its parameter name.</summary>
internal sealed record QuoteQuery(IReadOnlyList<string> Categories, ResidentFacts Facts, DateOnly? PaidOn)
{
    // Dates outside this range are typing errors, not residents.
    private static readonly DateOnly Earliest = new(1900, 1, 1);
    private static readonly DateOnly Latest = new(2099, 12, 31);
    private static readonly char[] CategorySeparators = [',', '，', ';', '；'];

    /// <summary>Parses the query; on failure returns the offending parameter and the reason.</summary>
    public static bool TryParse(IQueryCollection query, out QuoteQuery parsed, out (string Parameter, string Reason) error)
    {
        parsed = null!;
        error = default;

        var categories = query["category"]
            .SelectMany(v => (v ?? "").Split(CategorySeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();

        int? tier = null;
        if (Single(query, "tier", out var tierText, ref error))
        {
            if (tierText is not null)
            {
                if (tierText is not ("1" or "2"))
                {
                    error = ("tier", $"must be 1 or 2, got '{tierText}'");
                    return false;
                }

                tier = tierText[0] - '0';
            }
        }
        else
        {
            return false;
        }

        if (!Date(query, "paidOn", out var paidOn, ref error) || !Date(query, "birthDate", out var birthDate, ref error))
        {
            return false;
        }

        if (birthDate is { } b && paidOn is { } p && b > p)
        {
            error = ("birthDate", $"{b:yyyy-MM-dd} is after paidOn {p:yyyy-MM-dd}");
            return false;
        }

        var student = StudentKind.None;
        if (!Single(query, "student", out var studentText, ref error))
        {
            return false;
        }

        switch (studentText)
        {
            case null: break;
            case "college": student = StudentKind.College; break;
            case "school": student = StudentKind.School; break;
            default:
                error = ("student", $"must be 'college' or 'school', got '{studentText}'");
                return false;
        }

        if (!Flag(query, "paidLastYear", out var paidLastYear, ref error)
            || !Flag(query, "riskCleared", out var riskCleared, ref error)
            || !Flag(query, "freshman", out var freshman, ref error)
            || !Flag(query, "transitionPaid", out var transitionPaid, ref error))
        {
            return false;
        }

        parsed = new QuoteQuery(
            categories,
            new ResidentFacts
            {
                Tier = tier,
                BirthDate = birthDate,
                Student = student,
                PaidLastYear = paidLastYear,
                MonitoringRiskCleared = riskCleared,
                CollegeFreshman = freshman,
                CollegeTransitionPaid = transitionPaid,
            },
            paidOn);
        return true;
    }

    private static bool Single(IQueryCollection query, string name, out string? value, ref (string, string) error)
    {
        value = null;
        if (!query.TryGetValue(name, out StringValues values) || StringValues.IsNullOrEmpty(values))
        {
            return true;
        }

        if (values.Count > 1)
        {
            error = (name, "given more than once");
            return false;
        }

        value = values[0]!.Trim();
        if (value.Length == 0)
        {
            value = null;
        }

        return true;
    }

    private static bool Date(IQueryCollection query, string name, out DateOnly? date, ref (string, string) error)
    {
        date = null;
        if (!Single(query, name, out var text, ref error))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            error = (name, $"'{text}' is not a calendar date in the form YYYY-MM-DD");
            return false;
        }

        if (value < Earliest || value > Latest)
        {
            error = (name, $"{text} is out of range ({Earliest:yyyy-MM-dd} to {Latest:yyyy-MM-dd})");
            return false;
        }

        date = value;
        return true;
    }

    private static bool Flag(IQueryCollection query, string name, out bool? flag, ref (string, string) error)
    {
        flag = null;
        if (!Single(query, name, out var text, ref error))
        {
            return false;
        }

        switch (text)
        {
            case null: return true;
            case "true": flag = true; return true;
            case "false": flag = false; return true;
            default:
                error = (name, $"must be 'true' or 'false', got '{text}'");
                return false;
        }
    }
}
