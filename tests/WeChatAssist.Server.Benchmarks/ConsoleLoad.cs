using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Links;
using WeChatAssist.Server.Payments;
using WeChatAssist.Server.StaffConsole;

namespace WeChatAssist.Server.Benchmarks;

/// <summary>
/// <c>console-load</c>: against a running server on loopback and its PostgreSQL database (filled by the <c>demo</c>
/// verb), measures (1) the county dashboard's data request — client latency and the server's own
/// <c>Server-Timing</c> — and the console page, and (2) how long a payment import of <c>--import</c> rows takes to
/// reach an open dashboard: a hub connection watching the county (SignalR JSON protocol over a WebSocket, as the
/// browser speaks it), the rows written by binary COPY and completed through <see cref="PaymentLedger"/> (its
/// participants NOTIFY the server's LISTEN), then the time until the push arrives and until the refetched figures
/// show the import. Bounded in count and time; loopback only.
/// </summary>
internal static class ConsoleLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = LoadRun.Options(args);
        var url = new Uri(options.GetValueOrDefault("url", "http://127.0.0.1:5090"));
        if (!url.IsLoopback)
        {
            Console.Error.WriteLine($"console-load only targets loopback addresses, not {url.Host}.");
            return 2;
        }

        var policy = options.GetValueOrDefault("policy", "pengshui-2024");
        var requests = int.Parse(options.GetValueOrDefault("requests", "30"), CultureInfo.InvariantCulture);
        var import = int.Parse(options.GetValueOrDefault("import", "10000"), CultureInfo.InvariantCulture);
        var connectionString = options.GetValueOrDefault("connection", "");
        var cookies = new CookieContainer();
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
        using (var login = await http.PostAsJsonAsync("/api/v1/staff/login", new { userName = options.GetValueOrDefault("user", "admin"), password = options.GetValueOrDefault("password", "") }))
        {
            if (!login.IsSuccessStatusCode)
            {
                Console.Error.WriteLine($"login failed: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
                return 1;
            }
        }

        var progressPath = $"/api/v1/console/progress?policyId={policy}";
        var first = await GetAsync(http, progressPath);
        Console.WriteLine($"county {policy}: {first.Registered:N0} residents registered, {first.Paid:N0} paid; first request {first.ClientMs:0.0} ms (server {first.ServerMs:0.0} ms)");

        var client = new List<double>();
        var server = new List<double>();
        for (var i = 0; i < requests; i++)
        {
            var r = await GetAsync(http, progressPath);
            client.Add(r.ClientMs);
            server.Add(r.ServerMs);
        }

        var page = new List<double>();
        for (var i = 0; i < Math.Min(requests, 20); i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(new Uri($"/console?policyId={policy}", UriKind.Relative));
            await response.Content.ReadAsStringAsync();
            response.EnsureSuccessStatusCode();
            page.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        if (connectionString.Length > 0)
        {
            // The computation itself, uncached, as the server runs it for the first dashboard after a change.
            await using var direct = DatabaseTarget.Create(new DatabaseOptions { Provider = "Postgres", ConnectionString = connectionString }, AppContext.BaseDirectory);
            var queries = new ProgressQueries(direct, WeChatAssist.Policy.PolicyCatalog.LoadShipped(), TimeProvider.System);
            var computed = new List<double>();
            for (var i = 0; i < requests; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await queries.SnapshotAsync(new ProgressScope(policy, null, null), CancellationToken.None);
                computed.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            Console.WriteLine($"snapshot computed, uncached ({requests} runs): p50 {LoadRun.Percentile(computed.Order().ToList(), 0.50):0.0} ms, p95 {LoadRun.Percentile(computed.Order().ToList(), 0.95):0.0} ms, max {computed.Max():0.0} ms");
        }

        Console.WriteLine($"dashboard data over HTTP, shared snapshot ({requests} requests): server p50 {LoadRun.Percentile(server.Order().ToList(), 0.50):0.0} ms, p95 {LoadRun.Percentile(server.Order().ToList(), 0.95):0.0} ms, max {server.Max():0.0} ms; client p50 {LoadRun.Percentile(client.Order().ToList(), 0.50):0.0} ms, p95 {LoadRun.Percentile(client.Order().ToList(), 0.95):0.0} ms");
        Console.WriteLine($"console page    ({page.Count} requests): client p50 {LoadRun.Percentile(page.Order().ToList(), 0.50):0.0} ms, p95 {LoadRun.Percentile(page.Order().ToList(), 0.95):0.0} ms");
        if (import <= 0 || connectionString.Length == 0)
        {
            return 0;
        }

        // ---- a payment import reaching an open dashboard ----
        using var hub = await HubWatcher.ConnectAsync(url, cookies, policy);
        await using var database = DatabaseTarget.Create(new DatabaseOptions { Provider = "Postgres", ConnectionString = connectionString }, AppContext.BaseDirectory);
        var participants = new IPaymentsRecordedParticipant[] { new LinkAttribution(), new ProgressSignal(database, new ProgressFeed(), Microsoft.Extensions.Options.Options.Create(new LiveUpdatesOptions())) };
        var ledger = new PaymentLedger(database, participants, TimeProvider.System);
        await using var connection = (NpgsqlConnection)await database.DataSource.OpenConnectionAsync();
        var year = 0;
        var ids = new List<long>();
        await using (var pick = new NpgsqlCommand("SELECT max(paid_year) FROM residents WHERE policy_id = @p", connection))
        {
            pick.Parameters.AddWithValue("p", policy);
            year = Convert.ToInt32(await pick.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        await using (var pick = new NpgsqlCommand("SELECT id FROM residents WHERE policy_id = @p AND (paid_year IS NULL OR paid_year < @y) ORDER BY id LIMIT @n", connection))
        {
            pick.Parameters.AddWithValue("p", policy);
            pick.Parameters.AddWithValue("y", year);
            pick.Parameters.AddWithValue("n", import);
            await using var reader = await pick.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        if (ids.Count < import)
        {
            Console.Error.WriteLine($"only {ids.Count} unpaid residents left; generate a larger county or a lower --paid share");
            return 1;
        }

        var importStarted = Stopwatch.GetTimestamp();
        var batch = PaymentLedger.NewBatchId();
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using (var copy = await connection.BeginBinaryImportAsync("COPY payment_events (resident_id, benefit_year, paid_on, amount_fen, source, batch_id, recorded_at) FROM STDIN (FORMAT BINARY)"))
            {
                var day = DateOnly.FromDateTime(DateTime.Today);
                foreach (var id in ids)
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync(id, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(year, NpgsqlDbType.Integer);
                    await copy.WriteAsync(day, NpgsqlDbType.Date);
                    await copy.WriteNullAsync();
                    await copy.WriteAsync("tax-file", NpgsqlDbType.Text);
                    await copy.WriteAsync(batch, NpgsqlDbType.Text);
                    await copy.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                }

                await copy.CompleteAsync();
            }

            await ledger.CompleteBatchAsync(connection, transaction, batch, CancellationToken.None);
            await transaction.CommitAsync();
        }

        var committed = Stopwatch.GetTimestamp();
        var importMs = Stopwatch.GetElapsedTime(importStarted, committed).TotalMilliseconds;
        var pushed = await hub.WaitForProgressAsync(TimeSpan.FromSeconds(30));
        var pushMs = Stopwatch.GetElapsedTime(committed).TotalMilliseconds;
        var after = await GetAsync(http, progressPath);
        var shownMs = Stopwatch.GetElapsedTime(committed).TotalMilliseconds;
        Console.WriteLine($"import of {ids.Count:N0} payments: COPY + ledger completion + commit {importMs:0} ms; {pushed} push messages, first after {pushMs:0} ms; dashboard figures refetched after {shownMs:0} ms (paid {first.Paid:N0} -> {after.Paid:N0})");
        return after.Paid - first.Paid >= ids.Count ? 0 : 1;
    }

    private static async Task<(long Registered, long Paid, double ClientMs, double ServerMs)> GetAsync(HttpClient http, string path)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        var clientMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        response.EnsureSuccessStatusCode();
        var timing = response.Headers.TryGetValues("Server-Timing", out var values) ? values.First() : "dur=0";
        var serverMs = double.Parse(timing[(timing.IndexOf("dur=", StringComparison.Ordinal) + 4)..], CultureInfo.InvariantCulture);
        using var json = JsonDocument.Parse(body);
        return (json.RootElement.GetProperty("registered").GetInt64(), json.RootElement.GetProperty("paid").GetInt64(), clientMs, serverMs);
    }

    /// <summary>The browser's side of the progress hub: negotiate, WebSocket, JSON handshake, <c>Watch</c>, then count pushes.</summary>
    private sealed class HubWatcher : IDisposable
    {
        private const char Separator = '\u001e';
        private readonly ClientWebSocket _socket;

        private HubWatcher(ClientWebSocket socket) => _socket = socket;

        public static async Task<HubWatcher> ConnectAsync(Uri server, CookieContainer cookies, string policyId)
        {
            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies }) { BaseAddress = server };
            using var negotiate = await http.PostAsync(new Uri("/hubs/progress/negotiate?negotiateVersion=1", UriKind.Relative), null);
            negotiate.EnsureSuccessStatusCode();
            var token = JsonDocument.Parse(await negotiate.Content.ReadAsStringAsync()).RootElement.GetProperty("connectionToken").GetString();
            var socket = new ClientWebSocket();
            socket.Options.Cookies = cookies;
            await socket.ConnectAsync(new Uri($"ws://{server.Authority}/hubs/progress?id={Uri.EscapeDataString(token!)}"), CancellationToken.None);
            var watcher = new HubWatcher(socket);
            await watcher.SendAsync("{\"protocol\":\"json\",\"version\":1}");
            await watcher.ReceiveAsync(TimeSpan.FromSeconds(10));
            await watcher.SendAsync(JsonSerializer.Serialize(new { type = 1, invocationId = "1", target = "Watch", arguments = new object?[] { policyId, null, null } }));
            var answer = await watcher.ReceiveAsync(TimeSpan.FromSeconds(10));
            if (!answer.Contains("\"result\":true", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Watch was refused: " + answer);
            }

            return watcher;
        }

        /// <summary>Waits for the first <c>progress</c> message and returns how many arrived in it and shortly after.</summary>
        public async Task<int> WaitForProgressAsync(TimeSpan timeout)
        {
            var count = 0;
            var until = DateTime.UtcNow + timeout;
            while (count == 0 && DateTime.UtcNow < until)
            {
                count += Count(await ReceiveAsync(until - DateTime.UtcNow));
            }

            return count;
        }

        private static int Count(string frames) =>
            frames.Split(Separator, StringSplitOptions.RemoveEmptyEntries).Count(f => f.Contains("\"target\":\"progress\"", StringComparison.Ordinal));

        private Task SendAsync(string message) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(message + Separator), WebSocketMessageType.Text, true, CancellationToken.None);

        private async Task<string> ReceiveAsync(TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            var buffer = new byte[64 * 1024];
            var text = new StringBuilder();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer, cancel.Token);
                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
            while (!result.EndOfMessage);
            return text.ToString();
        }

        public void Dispose() => _socket.Dispose();
    }
}
