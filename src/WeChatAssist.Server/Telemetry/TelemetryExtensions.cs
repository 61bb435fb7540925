using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using WeChatAssist.WeChat;

namespace WeChatAssist.Server.Telemetry;

/// <summary>OpenTelemetry: the server's and the WeChat library's meters, ASP.NET Core, HttpClient and Npgsql
/// instrumentation, a Prometheus scrape listener and OTLP export; JSON console logs outside Development.</summary>
internal static class TelemetryExtensions
{
    public static IHostApplicationBuilder AddTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TelemetryOptions>()
            .Bind(builder.Configuration.GetSection(TelemetryOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        if (builder.Environment.IsProduction())
        {
            // One JSON object per line, through the framework's own formatter, for the log shipper.
            builder.Logging.AddJsonConsole(json => json.UseUtcTimestamp = true);
        }

        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (!options.Enabled)
        {
            return builder;
        }

        builder.Services.AddHostedService<Reminders.ReminderMetrics.OutboxDepthSampler>();
        var otlp = Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint) ? endpoint : null;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("WeChatAssist", serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(AppMeter.Name, WeChatMetrics.MeterName, "Npgsql")
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (options.PrometheusPort > 0)
                {
                    metrics.AddPrometheusHttpListener(listener =>
                    {
                        listener.Host = options.PrometheusHost;
                        listener.Port = options.PrometheusPort;
                    });
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(exporter => exporter.Endpoint = otlp);
                }
            });
        if (!options.RecordsTraces)
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing =>
            {
                // Query strings are redacted by the instrumentation (signatures, OpenIDs, access tokens live there).
                tracing.AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !context.Request.Path.StartsWithSegments("/healthz"))
                    .AddHttpClientInstrumentation()
                    .AddSource("Npgsql");
                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(exporter => exporter.Endpoint = otlp);
                }
            });
        return builder;
    }
}
