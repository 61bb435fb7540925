using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace WeChatAssist.WeChat;

/// <summary>The WeChat library's instruments (meter <see cref="MeterName"/>). Labels are account names from
/// configuration, API paths without their query (which carries the access token), error codes and fixed words: never
/// an OpenID, a message or anything a resident wrote.</summary>
public static class WeChatMetrics
{
    public const string MeterName = "WeChatAssist.WeChat";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Messages = Meter.CreateCounter<long>(
        "wechatassist.webhook.messages", "{message}", "Pushes to the webhook by account and result (replied, success, duplicate, rejected).");

    private static readonly Histogram<double> AnswerDuration = Meter.CreateHistogram<double>(
        "wechatassist.webhook.answer.duration", "s", "Time from receiving a push to answering it, by account.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });

    private static readonly Counter<long> ApiCalls = Meter.CreateCounter<long>(
        "wechatassist.wechat.api.calls", "{call}", "WeChat API calls by endpoint and error code (0: success, -1 also network failures and timeouts).");

    /// <summary>Whether anything listens; lets the webhook skip the clock read when telemetry is off.</summary>
    internal static bool Enabled => Messages.Enabled || AnswerDuration.Enabled;

    /// <summary>A push answered: <paramref name="account"/> is null for an unknown account (kept out of the labels, since
    /// anyone can post to any path).</summary>
    internal static void Received(string? account, string result, long startedTimestamp)
    {
        var accountTag = new KeyValuePair<string, object?>("account", account ?? "unknown");
        Messages.Add(1, accountTag, new KeyValuePair<string, object?>("result", result));
        if (result is "replied" or "success")
        {
            AnswerDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, accountTag);
        }
    }

    internal static void ApiCall(string relativeUri, int errorCode)
    {
        var query = relativeUri.IndexOf('?', StringComparison.Ordinal);
        var endpoint = (query < 0 ? relativeUri : relativeUri[..query]).Trim('/');
        ApiCalls.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("error_code", errorCode));
    }
}
