using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Templating;

namespace WeChatAssist.Server.Reminders;

/// <summary>Builds the values a message is rendered from, every amount and date from the policy engine: what the
/// resident pays today per tier, the date the reminder leads up to, the cover start of a payment.</summary>
internal sealed class ReminderContent(PolicyCatalog catalog, ReminderMessages messages)
{
    /// <summary>Where a staff template's errors point; it is not a file.</summary>
    public const string BroadcastSource = "template";

    /// <summary>Most distinct broadcast texts kept parsed; a dispatcher sees a handful, a busy console a few dozen.</summary>
    private const int BroadcastCacheLimit = 256;

    private readonly ConcurrentDictionary<string, TextTemplate> _broadcastTexts = new(StringComparer.Ordinal);

    /// <summary>The message for <paramref name="item"/> on business date <paramref name="today"/>.</summary>
    public RenderedMessage Render(OutboxItem item, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(item);
        var policy = catalog.Get(item.PolicyId);
        var payload = JsonSerializer.Deserialize<ReminderPayload>(item.Payload, JsonSerializerOptions.Web) ?? new ReminderPayload();
        var model = Model(policy, Facts(policy, item), today, payload.Due, item.PaidOn);
        if (item.Kind == ReminderKinds.Broadcast)
        {
            model["title"] = payload.Title;
            model["text"] = payload.Text is null ? "" : BroadcastTemplate(payload.Text).Render(model).Trim();
        }

        return messages.Render(item.Kind, model);
    }

    /// <summary>A broadcast text rendered for a sample resident (the preview staff see before approving). A text
    /// that does not parse, uses a forbidden construct or exceeds a limit throws <see cref="TemplateException"/>.</summary>
    public string RenderBroadcastText(InsurancePolicy policy, string text, ResidentFacts facts, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return BroadcastTemplate(text).Render(Model(policy, facts, today, null, null)).Trim();
    }

    /// <summary>A staff-written broadcast text, parsed once in the safe context (<see cref="TemplateSafety.Staff"/>):
    /// the same text is rendered for every resident of a broadcast.</summary>
    public TextTemplate BroadcastTemplate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_broadcastTexts.TryGetValue(text, out var parsed))
        {
            return parsed;
        }

        parsed = TextTemplate.Parse(text, BroadcastSource, TemplateOutput.Text, TemplateSafety.Staff);
        if (_broadcastTexts.Count >= BroadcastCacheLimit)
        {
            // Texts are written by a few staff; past the limit start again rather than grow without end.
            _broadcastTexts.Clear();
        }

        return _broadcastTexts.GetOrAdd(text, parsed);
    }

    /// <summary>The values: county, year, dueDate, daysLeft, dueRelative, tiers (number, yuan), deadline, channels, paidOn, benefitStart, waiting.</summary>
    public static Dictionary<string, object?> Model(InsurancePolicy policy, ResidentFacts facts, DateOnly today, DateOnly? due, DateOnly? paidOn)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var quote = policy.Quote(facts, today);
        var model = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["county"] = policy.Name,
            ["year"] = policy.BenefitYear.ToString(CultureInfo.InvariantCulture),
            ["tiers"] = quote.Options.Where(o => o.IndividualDueFen is not null)
                .Select(o => new Dictionary<string, object?> { ["number"] = o.Tier, ["yuan"] = PolicyFormat.Yuan(o.IndividualDueFen!.Value) })
                .ToList(),
            ["deadline"] = quote.Deadline is { } deadline ? PolicyFormat.Date(deadline) : null,
            ["channels"] = string.Join("、", policy.PaymentChannels.Select(c => c.Name)),
        };
        if (due is { } d)
        {
            model["dueDate"] = PolicyFormat.Date(d);
            model["daysLeft"] = Math.Max(0, RelativeDates.DaysBetween(today, d));
            // "3 天后", "明天": whole calendar days from the business date; empty on the day itself.
            model["dueRelative"] = RelativeDates.Humanize(d, today, RelativeDates.SimplifiedChinese);
            model["benefitStart"] = PolicyFormat.Date(d);
        }

        if (paidOn is { } paid)
        {
            var paidQuote = policy.Quote(facts, paid);
            model["paidOn"] = PolicyFormat.Date(paid);
            if (paidQuote.BenefitStart is { } start)
            {
                model["benefitStart"] = PolicyFormat.Date(start);
                model["waiting"] = paidQuote.WaitingDays > 0;
            }
        }

        return model;
    }

    /// <summary>The engine's facts about the resident of <paramref name="item"/>.</summary>
    public static ResidentFacts Facts(InsurancePolicy policy, OutboxItem item)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(item);
        return new ResidentFacts
        {
            Categories = item.Categories,
            BirthDate = item.BirthDate,
            PaidLastYear = item.PaidYear is { } year ? year >= policy.BenefitYear - 1 : null,
        };
    }
}
