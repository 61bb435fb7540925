using System.Globalization;
using System.Text.Json;
using WeChatAssist.Policy;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.WeChat;
using Microsoft.Extensions.Options;
using WeChatAssist.WeChat.Configuration;

namespace WeChatAssist.Server.Reminders;

/// <summary>How many rows one rule added in a planning run.</summary>
internal sealed record PlannedRule(string PolicyId, string RuleId, string Kind, string Occurrence, string Channel, int Queued);

/// <summary>Plans the reminders due on the business date: for every policy (to the residents it serves that day, see
/// <see cref="ReminderAudiences"/>) and every rule whose send date has come
/// (the latest offset not yet past its date; a missed run catches up), one set-based insert of the audience into
/// the outbox. Idempotent: the de-duplication key makes a second run that day add nothing.</summary>
internal sealed class ReminderPlanner(DatabaseTarget database, PolicyCatalog catalog, RemindersOptions options, ReminderMessages messages, SendingHours hours, BusinessClock clock, IOptionsMonitor<WeChatOptions> wechat)
{
    /// <summary>The channel of reminders not sent as subscribe messages.</summary>
    public const string Channel = "template";

    /// <summary>The channel of subscribe messages (kinds of <see cref="RemindersOptions.SubscribeKinds"/>, with consent).</summary>
    public const string SubscribeChannel = "subscribe";

    public async Task<IReadOnlyList<PlannedRule>> PlanAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = clock.Today();
        var (start, spread) = hours.Window(now);
        var planned = new List<PlannedRule>();
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        foreach (var (policy, served) in ReminderAudiences.On(catalog, today))
        {
            // A year a later one has taken over keeps only what is about a payment already made (the day its waiting
            // period ends), for its own residents; what asks them to pay now comes from the year serving them.
            var audience = served.Count > 0 ? served : [policy.Id];
            var routes = MessageRoutes.For(wechat.CurrentValue, policy.Id);
            var due = Due(policy, today).Where(d => served.Count > 0 || !ReminderKinds.IsOwing(d.Rule.Kind));
            foreach (var (rule, occurrence, insert) in due.Select(d => Channels(d, routes, audience)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                var queued = await OutboxSql.InsertAsync(connection, transaction, database.Dialect, insert, start, spread, now, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                planned.Add(new PlannedRule(policy.Id, rule.Id, rule.Kind, occurrence, insert.Channel, queued));
            }
        }

        return planned;
    }

    private IEnumerable<(ReminderRule Rule, string Occurrence, OutboxInsert Insert)> Due(InsurancePolicy policy, DateOnly today)
    {
        var rules = ReminderRules.For(policy, options);

        // Date rules: per date, the offset whose send day is the latest one reached.
        foreach (var series in rules.Where(r => r.DueDate is not null).GroupBy(r => (r.Kind, r.DueDate)))
        {
            var due = series.Key.DueDate!.Value;
            var rule = series.Where(r => r.SendOn <= today).MaxBy(r => r.SendOn);
            if (rule is null || due < today)
            {
                continue;
            }

            var occurrence = Iso(due);
            yield return (rule, occurrence, new OutboxInsert(policy.Id, rule.Id, rule.Kind, occurrence, Channel, Payload(due), policy.BenefitYear, _ => "1 = 1"));
        }

        foreach (var rule in rules.Where(r => r.DueDate is null))
        {
            var target = today.AddDays(rule.DaysBefore);
            var occurrence = Iso(target);
            if (rule.Kind == ReminderKinds.Newborn)
            {
                var births = ReminderRules.BirthDatesWithWindowEndingOn(policy, target);
                if (births.Count > 0)
                {
                    yield return (rule, occurrence, new OutboxInsert(policy.Id, rule.Id, rule.Kind, occurrence, Channel, Payload(target), policy.BenefitYear,
                        parameters => OutboxSql.AnyOf(database.Dialect, parameters, "r.birth_date", "birth", births)));
                }
            }
            else if (rule.Kind == ReminderKinds.WaitingEnd)
            {
                var paidOn = ReminderRules.PaymentDaysWithCoverFrom(policy, target);
                if (paidOn.Count > 0)
                {
                    yield return (rule, occurrence, new OutboxInsert(policy.Id, rule.Id, rule.Kind, occurrence, Channel, Payload(target), policy.BenefitYear,
                        parameters =>
                        {
                            parameters.Add("paidYear", policy.BenefitYear);
                            return "r.paid_year = @paidYear AND " + OutboxSql.AnyOf(database.Dialect, parameters, "r.paid_on", "paid", paidOn);
                        }));
                }
            }
        }
    }

    /// <summary>One row per resident and occurrence, whatever the channel: the key names the kind's message family
    /// (<c>subscribe</c> for <see cref="RemindersOptions.SubscribeKinds"/>, else <c>template</c>), and the insert picks
    /// each person's channel — the mini-program with a consent there, else the official account (a subscribe message
    /// with a consent, else a template message). Earlier both variants were keyed apart, so a consent used up between
    /// two planning runs could queue the occurrence a second time as a template message.</summary>
    private (ReminderRule Rule, string Occurrence, OutboxInsert Insert) Channels((ReminderRule Rule, string Occurrence, OutboxInsert Insert) due, MessageRoutes routes, IReadOnlyList<string> audience)
    {
        var subscribe = options.SubscribeKinds.Contains(due.Rule.Kind);
        return (due.Rule, due.Occurrence, due.Insert with
        {
            Channel = subscribe ? SubscribeChannel : Channel,
            ConsentTemplateId = subscribe ? messages.TemplateId(due.Rule.Kind) : null,
            MiniProgramTemplateId = options.MiniProgramTemplateIds.GetValueOrDefault(due.Rule.Kind),
            Routes = routes,
            Audience = audience,
        });
    }

    /// <summary>The payload of a dated reminder: the date it leads up to.</summary>
    public static string Payload(DateOnly due) => JsonSerializer.Serialize(new ReminderPayload { Due = due }, JsonSerializerOptions.Web);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>What an outbox row carries for rendering; amounts are never stored, they are quoted when sending.</summary>
internal sealed class ReminderPayload
{
    /// <summary>The date the reminder leads up to (dated kinds), or the cover start (waiting-end).</summary>
    public DateOnly? Due { get; set; }

    /// <summary>Broadcast title.</summary>
    public string? Title { get; set; }

    /// <summary>Broadcast text, a Scriban template (written by staff, rendered in the safe context) rendered per resident.</summary>
    public string? Text { get; set; }
}
