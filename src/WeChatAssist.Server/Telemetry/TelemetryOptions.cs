using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Telemetry;

/// <summary><c>Telemetry:*</c>: OpenTelemetry metrics and traces, the Prometheus scrape listener, OTLP export.</summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Off: no OpenTelemetry at all (the instruments stay, unobserved and nearly free).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Port of the Prometheus scrape endpoint <c>/metrics</c>, a listener of its own so that it is never
    /// reachable through the public proxy (e.g. 9464). 0: none.</summary>
    public int PrometheusPort { get; set; }

    /// <summary>Host the scrape listener binds and answers for: <c>localhost</c>, or the name or address Prometheus scrapes
    /// the node by (the listener takes one host; <c>+</c>, <c>*</c> and <c>0.0.0.0</c> are refused at start).</summary>
    public string PrometheusHost { get; set; } = "localhost";

    /// <summary>OTLP collector (gRPC, e.g. <c>http://otel-collector:4317</c>) receiving traces and metrics. Empty:
    /// none. The standard <c>OTEL_EXPORTER_OTLP_*</c> variables refine it (headers, protocol).</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>Record traces (ASP.NET Core, HttpClient, Npgsql spans). Unset: only when <see cref="OtlpEndpoint"/> is
    /// set, since spans that nothing exports still cost every request their recording (measured: README, Performance).</summary>
    public bool? Traces { get; set; }

    /// <summary>Whether traces are recorded, <see cref="Traces"/> or its default.</summary>
    public bool RecordsTraces => Traces ?? OtlpEndpoint.Length > 0;
}

/// <summary>Checks <see cref="TelemetryOptions"/> at start.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        const string Section = TelemetryOptions.SectionName;
        var failures = new List<string>();
        if (options.PrometheusPort is < 0 or > 65535)
        {
            failures.Add($"{Section}:PrometheusPort: {options.PrometheusPort} is not a port (1-65535, or 0 for none).");
        }

        if (string.IsNullOrWhiteSpace(options.PrometheusHost))
        {
            failures.Add($"{Section}:PrometheusHost: required when PrometheusPort is set; localhost, an address or +.");
        }

        if (options.PrometheusPort > 0 && options.PrometheusHost.Trim() is "+" or "*" or "0.0.0.0" or "::" or "[::]")
        {
            // The stand-alone listener (OpenTelemetry.Exporter.Prometheus.HttpListener 1.20.1-beta.1) throws on these at
            // start ("hostname could not be parsed", "request is not supported"): say so in one line instead.
            failures.Add($"{Section}:PrometheusHost: '{options.PrometheusHost}' is not supported by the Prometheus listener, which binds one host: give the name or address Prometheus scrapes this node by, e.g. 10.0.0.11.");
        }

        if (options.OtlpEndpoint.Length > 0 && !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out _))
        {
            failures.Add($"{Section}:OtlpEndpoint: '{options.OtlpEndpoint}' is not an absolute URL, e.g. http://otel-collector:4317.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
