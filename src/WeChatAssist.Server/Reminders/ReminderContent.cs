using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using HandlebarsDotNet;
using WeChatAssist.Policy;

namespace WeChatAssist.Server.Reminders;

/// <summary>Builds the values a message is rendered from, every amount and date from the policy engine: what the
/// resident pays today per tier, the date the reminder leads up to, the cover start of a payment.</summary>
internal sealed class ReminderContent(PolicyCatalog catalog, ReminderMessages messages)
{
    private readonly ConcurrentDictionary<string, HandlebarsTemplate<object, object>> _broadcastTexts = new(StringComparer.Ordinal);
    private readonly IHandlebars _handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = false });

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
            model["text"] = payload.Text is null ? "" : _broadcastTexts.GetOrAdd(payload.Text, _handlebars.Compile)(model).Trim();
        }

        return messages.Render(item.Kind, model);
    }

    /// <summary>A broadcast text rendered for a sample resident (the preview staff see before approving).</summary>
    public string RenderBroadcastText(InsurancePolicy policy, string text, ResidentFacts facts, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return _handlebars.Compile(text)(Model(policy, facts, today, null, null)).Trim();
    }

    /// <summary>The values: county, year, dueDate, daysLeft, tiers (number, yuan), deadline, channels, paidOn, benefitStart, waiting.</summary>
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
            model["daysLeft"] = Math.Max(0, d.DayNumber - today.DayNumber);
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
