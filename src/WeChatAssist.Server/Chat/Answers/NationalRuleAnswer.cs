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
}
