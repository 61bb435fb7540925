using WeChatAssist.Policy;

namespace WeChatAssist.Server.Chat.Answers;

/// <summary>
/// A late payer whose county notice is silent while the national layer it inherits speaks (遂平 2025 and 国办发〔2024〕38号):
/// the answer says the notice is silent, states the national waiting period sentence by sentence from the engine's
/// cited steps, and hands over to the bureau for what the national document leaves to local rules.
/// </summary>
internal static class NationalRuleAnswer
{
    /// <summary>The template for <see cref="QuoteOutcome.NationalRule"/>.</summary>
    public const string Template = "national_rule";

    /// <summary>Adds the national document and its steps to the quote answer's model.</summary>
    public static void Fill(Dictionary<string, object?> model, PolicyQuote quote, AnswerFormat format)
    {
        var national = quote.Explanation.Where(s => s.Citation.PolicyId != quote.Policy.Id).ToList();
        model["nationalDocument"] = national.Count > 0 ? national[0].Citation.DocumentNumber : "";
        model["nationalSteps"] = national.Select(s => format.Text(s.Text)).ToList();
    }

    /// <summary>
    /// While the collection window is open, what the engine answers for paying on its first day after: where the notice
    /// is silent on late payment and the national layer speaks (遂平 2025), "过了截止日期还能交吗" or "晚交了什么时候能报销"
    /// asked in the window gets the national waiting period with its citation, not only today's figures. Adds
    /// <c>nationalLater</c>, the document, its steps and <c>nationalFixedMonths</c> to the model; returns the national
    /// citations (none when the rule does not apply).
    /// </summary>
    public static IReadOnlyList<Citation> FillAfterWindow(Dictionary<string, object?> model, InsurancePolicy policy, ResidentFacts facts, AnswerFormat format)
    {
        if (policy.LateRegimes.Count > 0 || policy.NationalWaitingPeriod is not { } waiting)
        {
            return [];
        }

        var later = policy.Quote(facts, policy.CollectionWindow.To.AddDays(1));
        if (later.Outcome != QuoteOutcome.NationalRule)
        {
            return [];
        }

        Fill(model, later, format);
        model["nationalLater"] = true;
        model["nationalFixedMonths"] = waiting.FixedMonths;
        return [.. later.Explanation.Where(s => s.Citation.PolicyId != policy.Id).Select(s => s.Citation).Distinct()];
    }
}
