using System.Globalization;
using System.Text.Json;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Clock;

/// <summary>The days worth showing in a demo of one campaign, read off the loaded notice: the window opening, a week
/// and a day before its deadline, the first day of each late regime, and a day on which the notice takes no payment
/// (闻喜's 26th). Labels come from <c>localization/demo-date.zh-Hans.json</c>.</summary>
internal sealed class CampaignKeyDays
{
    /// <summary>The label file, relative to the binaries.</summary>
    public const string FileName = "localization/demo-date.zh-Hans.json";

    private readonly Dictionary<string, string> _labels;

    private CampaignKeyDays(Dictionary<string, string> labels) => _labels = labels;

    public static CampaignKeyDays Load()
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, FileName));
        return new CampaignKeyDays(JsonSerializer.Deserialize<Dictionary<string, string>>(stream) ?? throw new InvalidDataException($"{FileName}: empty file"));
    }

    /// <summary>The key days of <paramref name="policy"/> in date order.</summary>
    public IReadOnlyList<KeyDay> For(InsurancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var window = policy.CollectionWindow;
        var days = new List<KeyDay>
        {
            new(window.From, "windowOpens", _labels["keyDay.windowOpens"]),
            new(window.To.AddDays(-7), "weekBeforeDeadline", _labels["keyDay.weekBeforeDeadline"]),
            new(window.To.AddDays(-1), "dayBeforeDeadline", _labels["keyDay.dayBeforeDeadline"]),
        };
        for (var i = 0; i < policy.LateRegimes.Count; i++)
        {
            days.Add(new(policy.LateRegimes[i].Period.From, "lateRegime", string.Format(CultureInfo.InvariantCulture, _labels["keyDay.lateRegime"], i + 1)));
        }

        // The last month day inside the window on which the notice takes no payment (004: from the 26th to the month's end).
        if (policy.NoPaymentFromDay is { } day)
        {
            for (var month = new DateOnly(window.To.Year, window.To.Month, 1); month >= new DateOnly(window.From.Year, window.From.Month, 1); month = month.AddMonths(-1))
            {
                if (day <= DateTime.DaysInMonth(month.Year, month.Month) && window.Contains(month.AddDays(day - 1)))
                {
                    days.Add(new(month.AddDays(day - 1), "noPaymentDay", string.Format(CultureInfo.InvariantCulture, _labels["keyDay.noPaymentDay"], day)));
                    break;
                }
            }
        }

        return [.. days.OrderBy(d => d.Date)];
    }
}

/// <summary>One key day of a campaign.</summary>
/// <param name="Date">The day.</param>
/// <param name="Kind">A stable name: <c>windowOpens</c>, <c>weekBeforeDeadline</c>, <c>dayBeforeDeadline</c>, <c>lateRegime</c>, <c>noPaymentDay</c>.</param>
/// <param name="Label">What the day is, in Chinese.</param>
internal sealed record KeyDay(DateOnly Date, string Kind, string Label);
