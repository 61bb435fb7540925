namespace WeChatAssist.Server.Benchmarks;

/// <summary>What every load verb shares: its <c>--name value</c> options and nearest-rank percentiles.</summary>
internal static class LoadRun
{
    /// <summary>The options after the verb, <c>--name value</c> pairs, by name without the dashes.</summary>
    public static Dictionary<string, string> Options(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        return options;
    }

    /// <summary>The nearest-rank percentile <paramref name="p"/> (0–1) of values sorted ascending.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
