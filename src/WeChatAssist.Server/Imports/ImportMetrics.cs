using System.Diagnostics;
using System.Diagnostics.Metrics;
using WeChatAssist.Server.Telemetry;

namespace WeChatAssist.Server.Imports;

/// <summary>The imports' instruments: rows read and time taken, by kind and final status.</summary>
internal static class ImportMetrics
{
    private static readonly Counter<long> Rows = AppMeter.Meter.CreateCounter<long>(
        "wechatassist.imports.rows", "{row}", "Rows read by imports, by kind and status (validated, applied, rejected, duplicate).");

    private static readonly Histogram<double> Duration = AppMeter.Meter.CreateHistogram<double>(
        "wechatassist.imports.duration", "s", "Time an import took, by kind and status.");

    public static void Imported(string kind, string status, int rows, long startedTimestamp)
    {
        var tags = new TagList { { "kind", kind }, { "status", status } };
        Rows.Add(rows, tags);
        Duration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, tags);
    }
}
