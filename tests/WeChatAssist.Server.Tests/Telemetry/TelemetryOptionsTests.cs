using WeChatAssist.Server.Telemetry;

namespace WeChatAssist.Server.Tests.Observability;

public sealed class TelemetryOptionsTests
{
    [Theory]
    [InlineData("+")]
    [InlineData("*")]
    [InlineData("0.0.0.0")]
    public void A_Prometheus_host_the_listener_cannot_bind_is_refused_at_start_with_one_line_saying_what_to_give(string host)
    {
        var result = new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { PrometheusPort = 9464, PrometheusHost = host });

        Assert.True(result.Failed);
        Assert.Contains($"Telemetry:PrometheusHost: '{host}' is not supported", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("10.0.0.11")]
    public void A_named_host_or_address_is_accepted(string host) =>
        Assert.True(new TelemetryOptionsValidator().Validate(null, new TelemetryOptions { PrometheusPort = 9464, PrometheusHost = host }).Succeeded);

    [Fact]
    public void Traces_are_recorded_by_default_only_when_an_OTLP_collector_receives_them()
    {
        Assert.False(new TelemetryOptions().RecordsTraces);
        Assert.True(new TelemetryOptions { OtlpEndpoint = "http://collector:4317" }.RecordsTraces);
        Assert.False(new TelemetryOptions { OtlpEndpoint = "http://collector:4317", Traces = false }.RecordsTraces);
        Assert.True(new TelemetryOptions { Traces = true }.RecordsTraces);
    }
}
