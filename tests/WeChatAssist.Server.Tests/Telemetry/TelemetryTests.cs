using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Trace;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests.Observability;

public sealed class TelemetryTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task After_binding_chatting_and_paying_the_metrics_and_spans_tell_what_happened_without_a_name_ID_number_or_OpenID()
    {
        var port = FreePort();
        var spans = new List<Activity>();
        await using var server = await ResidentServer.StartAsync(
            DatabaseProvider.Postgres,
            await postgres.CreateDatabaseAsync(),
            new Dictionary<string, string?>
            {
                ["Telemetry:PrometheusPort"] = port.ToString(CultureInfo.InvariantCulture),
                ["Telemetry:PrometheusHost"] = "127.0.0.1",
                // No OTLP collector here: the spans go to the in-memory exporter below.
                ["Telemetry:Traces"] = "true",
            },
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        const string name = "欧阳望舒";
        var number = TestIds.Next();
        var openId = TestIds.OpenId();

        // Bind, ask the chatbot (answers, and one question it must ask back: the disability grade decides), start a payment.
        var residentId = await server.SeedAsync(name, number);
        var token = await server.SessionAsync(openId);
        Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, name, number)).Status);
        var account = server.Services.GetRequiredService<IOptionsMonitor<WeChatOptions>>().CurrentValue.Accounts[ResidentServer.Account];
        foreach (var text in new[] { "我今年要交多少钱", "残疾人交多少钱", $"我叫{name}，身份证{number}" })
        {
            var xml = WeChatPushSimulator.TextMessage("gh_pengshui", openId, text, Random.Shared.NextInt64(1, long.MaxValue / 2), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            var reply = await new WeChatPushSimulator(server.Client).PushAsync(new Uri(server.Client.BaseAddress!, "/wechat/" + ResidentServer.Account), account, xml, encrypt: true, CancellationToken.None);
            Assert.Equal(200, reply.StatusCode);
        }

        var (status, _, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/mp/payments", token, new { residentId, tier = 1 });
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, body);

        using var scraper = new HttpClient();
        // The outbox depth is sampled in the background (every 15 s, first at start): on a loaded machine wait for it.
        var metrics = await scraper.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        for (var deadline = DateTime.UtcNow.AddSeconds(60); !HasSeries(metrics, "wechatassist_reminders_outbox_depth") && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(500);
            metrics = await scraper.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        }

        server.Services.GetRequiredService<TracerProvider>().ForceFlush();
        var traced = new StringBuilder();
        // The in-memory exporter appends without a lock while the server keeps working (jobs, the outbox sampler):
        // read a copy.
        Activity[] exported;
        lock (spans)
        {
            exported = [.. spans.ToArray()];
        }

        foreach (var span in exported)
        {
            traced.AppendLine(span.DisplayName).AppendLine(span.StatusDescription);
            foreach (var (key, value) in span.TagObjects)
            {
                traced.Append(key).Append('=').AppendLine(Convert.ToString(value, CultureInfo.InvariantCulture));
            }

            foreach (var e in span.Events)
            {
                traced.AppendLine(e.Name);
                foreach (var (key, value) in e.Tags)
                {
                    traced.Append(key).Append('=').AppendLine(Convert.ToString(value, CultureInfo.InvariantCulture));
                }
            }
        }

        // What happened is there: webhook pushes and their latency by account, the chatbot's outcomes, WeChat API
        // calls by endpoint and code, HTTP server and database spans.
        Assert.True(HasSeries(metrics, "wechatassist_webhook_messages_total", "account=\"pengshui\"", "result=\"replied\""), Ours(metrics));
        Assert.True(HasSeries(metrics, "wechatassist_webhook_answer_duration_seconds_bucket", "account=\"pengshui\""), Ours(metrics));
        Assert.True(HasSeries(metrics, "wechatassist_chat_answers_total", "account=\"pengshui\"", "outcome=\"answered\""), Ours(metrics));
        Assert.True(HasSeries(metrics, "wechatassist_chat_answers_total", "account=\"pengshui\"", "outcome=\"clarified\""), Ours(metrics));
        Assert.True(HasSeries(metrics, "wechatassist_wechat_api_calls_total", "endpoint=\"sns/jscode2session\"", "error_code=\"0\""), Ours(metrics));
        Assert.True(HasSeries(metrics, "wechatassist_reminders_outbox_depth", "status=\"pending\""), Ours(metrics));
        Assert.True(HasSeries(metrics, "http_server_request_duration_seconds_count", "http_route=\"/api/v1/mp/payments\""), Ours(metrics));
        Assert.Contains("POST /api/v1/mp/payments", traced.ToString(), StringComparison.Ordinal);
        Assert.Contains("db.system", traced.ToString(), StringComparison.Ordinal);

        // Whom it happened to is not.
        foreach (var secret in new[] { name, number, number[..6] + number[14..], openId })
        {
            Assert.DoesNotContain(secret, metrics, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, traced.ToString(), StringComparison.Ordinal);
        }
    }

    private static bool HasSeries(string metrics, string name, params string[] labels) =>
        metrics.Split('\n').Any(l => l.StartsWith(name + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)));

    private static string Ours(string metrics) =>
        string.Join('\n', metrics.Split('\n').Where(l => l.StartsWith("wechatassist", StringComparison.Ordinal) || l.StartsWith("http_server_request_duration_seconds_count", StringComparison.Ordinal)));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
