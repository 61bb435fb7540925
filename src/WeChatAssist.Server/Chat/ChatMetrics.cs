using System.Diagnostics.Metrics;
using WeChatAssist.Server.Telemetry;

namespace WeChatAssist.Server.Chat;

/// <summary>The chatbot's instruments: what became of each question, by account.</summary>
internal static class ChatMetrics
{
    private static readonly Counter<long> Outcomes = AppMeter.Meter.CreateCounter<long>(
        "wechatassist.chat.answers", "{answer}", "Chatbot answers by account and outcome (answered, clarified, fell_back, not_stated).");

    public static void Answered(string account, ChatAnswer answer) => Outcomes.Add(
        1,
        new KeyValuePair<string, object?>("account", account),
        new KeyValuePair<string, object?>("outcome", answer.Template switch
        {
            // A question back: which of two meanings ("clarify"), or a fact the answer depends on ("ask_*").
            "clarify" => "clarified",
            _ when answer.Template.StartsWith("ask_", StringComparison.Ordinal) => "clarified",
            "fallback" => "fell_back",
            _ when answer.FellBack => "fell_back",
            _ when answer.Template.Contains("not_stated", StringComparison.Ordinal) => "not_stated",
            _ => "answered",
        }));
}
