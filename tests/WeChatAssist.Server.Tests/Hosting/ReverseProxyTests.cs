using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.WeChat.Configuration;
using WeChatAssist.WeChat.Simulator.Push;

namespace WeChatAssist.Server.Tests;

/// <summary>Two server processes on one PostgreSQL behind a real nginx that terminates "https" for the public host.</summary>
public sealed class ReverseProxyTests(ReverseProxyTests.Deployment deployment) : IClassFixture<ReverseProxyTests.Deployment>
{
    private const string AdminUser = "proxy-admin";
    private const string AdminPassword = "proxy admin password 1";
    private const int LoginAttemptsPerMinute = 3;

    [Fact]
    public async Task The_webhook_answers_through_the_proxy_and_a_retry_that_reaches_the_other_node_is_handled_once()
    {
        var upstreams = new UpstreamRecorder { InnerHandler = new SocketsHttpHandler() };
        using var http = new HttpClient(upstreams) { Timeout = TimeSpan.FromSeconds(60) };
        var webhook = new WeChatPushSimulator(http);
        var openId = "oProxied" + RandomNumberGenerator.GetHexString(8);
        var xml = WeChatPushSimulator.TextMessage("gh_proxied", openId, "交多少钱", msgId: RandomNumberGenerator.GetInt32(1, int.MaxValue), createTime: DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var url = new Uri(deployment.Proxy.BaseAddress, "/wechat/proxied");

        var first = await webhook.PushAsync(url, deployment.Account, xml, encrypt: false, CancellationToken.None);
        var retries = new List<WeChatPushResult>();
        for (var i = 0; i < 4; i++)
        {
            retries.Add(await webhook.PushAsync(url, deployment.Account, xml, encrypt: false, CancellationToken.None));
        }

        Assert.Equal(200, first.StatusCode);
        Assert.Contains("<Content>", first.ReplyXml ?? first.Body, StringComparison.Ordinal);
        Assert.All(retries, r => Assert.Equal((200, "success"), (r.StatusCode, r.Body)));
        // nginx alternated: the retries reached both nodes, and neither answered again nor sent anything by the API.
        Assert.Equal(deployment.Servers.Select(s => $"127.0.0.1:{s.BaseAddress.Port}").Order(), upstreams.Seen.Distinct().Order());
        Assert.Empty(deployment.Simulator.CallLog.Outbox(openId));
    }

    [Fact]
    public async Task Share_links_come_out_with_https_and_the_public_host()
    {
        var staff = await SignInAsync(deployment.Proxy.BaseAddress, "203.0.113.10");

        using var response = await staff.SendAsync(HttpMethod.Post, "/api/v1/links", new { policyId = "pengshui-2024", township = "汉葭街道", village = "文家村" });
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var landing = JsonDocument.Parse(body).RootElement.GetProperty("landingUrl").GetString()!;
        Assert.StartsWith($"https://{Nginx.PublicHost}/s/", landing, StringComparison.Ordinal);
        using var page = await staff.SendAsync(HttpMethod.Get, new Uri(landing).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Forwarded_headers_from_an_address_that_is_not_a_listed_proxy_are_ignored()
    {
        var proxied = await SignInAsync(deployment.Proxy.BaseAddress, "203.0.113.11");
        using (var created = await proxied.SendAsync(HttpMethod.Post, "/api/v1/links", new { policyId = "pengshui-2024", township = "汉葭街道", village = "石盘村" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        // Straight to a node from 127.0.0.1, which is not a listed proxy, with headers anybody can write. (Writes
        // would fail here: in Production the antiforgery cookie needs https, which only the proxy vouches for.)
        var node = deployment.Servers[0].BaseAddress;
        var direct = new CookieClient(node, null);
        using (var login = await direct.SendAsync(HttpMethod.Post, "/api/v1/staff/login", new { userName = AdminUser, password = AdminPassword }))
        {
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        }

        direct.Headers["X-Forwarded-Proto"] = "https";
        direct.Headers["X-Forwarded-Host"] = "attacker.example";
        using var response = await direct.SendAsync(HttpMethod.Get, "/api/v1/links?policyId=pengshui-2024&township=%E6%B1%89%E8%91%AD%E8%A1%97%E9%81%93&village=%E7%9F%B3%E7%9B%98%E6%9D%91");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var links = JsonDocument.Parse(body).RootElement;
        Assert.NotEqual(0, links.GetArrayLength());
        Assert.All(links.EnumerateArray(), link => Assert.StartsWith($"http://127.0.0.1:{node.Port}/s/", link.GetProperty("landingUrl").GetString(), StringComparison.Ordinal));
        Assert.DoesNotContain("attacker.example", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_dashboards_hub_takes_a_WebSocket_through_the_proxy_and_lets_staff_watch_their_county()
    {
        var staff = await SignInAsync(deployment.Proxy.BaseAddress, "203.0.113.20");
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", staff.CookieHeader);
        socket.Options.CollectHttpResponseDetails = true;
        var hub = new UriBuilder(deployment.Proxy.BaseAddress) { Scheme = "ws", Path = "/hubs/progress" }.Uri;

        // The console's client connects straight over WebSockets (no negotiate round trip), so it does not matter
        // which node nginx picks for the upgrade.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(hub, timeout.Token);
        await SendAsync(socket, """{"protocol":"json","version":1}""", timeout.Token);
        var handshake = await ReceiveAsync(socket, timeout.Token);
        await SendAsync(socket, """{"type":1,"invocationId":"1","target":"Watch","arguments":["pengshui-2024",null,null]}""", timeout.Token);
        JsonElement completion;
        do
        {
            completion = JsonDocument.Parse(await ReceiveAsync(socket, timeout.Token)).RootElement;
        }
        while (completion.GetProperty("type").GetInt32() != 3);

        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.Equal("{}", handshake);
        Assert.Equal("1", completion.GetProperty("invocationId").GetString());
        Assert.True(completion.GetProperty("result").GetBoolean(), completion.ToString());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
    }

    [Fact]
    public async Task Sign_in_limits_count_the_real_client_behind_the_proxy_not_the_proxy()
    {
        var noisy = new List<HttpStatusCode>();
        for (var i = 0; i < (2 * LoginAttemptsPerMinute) + 2; i++)
        {
            var client = new CookieClient(deployment.Proxy.BaseAddress, "198.51.100.7");
            using var response = await client.SendAsync(HttpMethod.Post, "/api/v1/staff/login", new { userName = AdminUser, password = AdminPassword });
            noisy.Add(response.StatusCode);
        }

        var quiet = new CookieClient(deployment.Proxy.BaseAddress, "198.51.100.8");
        using var quietResponse = await quiet.SendAsync(HttpMethod.Post, "/api/v1/staff/login", new { userName = AdminUser, password = AdminPassword });

        // Each node counts on its own; with two nodes the noisy client gets at most twice the limit through.
        Assert.InRange(noisy.Count(s => s == HttpStatusCode.OK), LoginAttemptsPerMinute, 2 * LoginAttemptsPerMinute);
        Assert.Equal(HttpStatusCode.TooManyRequests, noisy[^1]);
        Assert.Equal(HttpStatusCode.OK, quietResponse.StatusCode);
    }

    private static async Task<CookieClient> SignInAsync(Uri baseAddress, string? clientAddress)
    {
        var client = new CookieClient(baseAddress, clientAddress);
        using (var login = await client.SendAsync(HttpMethod.Post, "/api/v1/staff/login", new { userName = AdminUser, password = AdminPassword }))
        {
            Assert.True(login.StatusCode == HttpStatusCode.OK, $"{login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        }

        using var token = await client.SendAsync(HttpMethod.Get, "/api/v1/staff/antiforgery");
        var text = await token.Content.ReadAsStringAsync();
        Assert.True(token.StatusCode == HttpStatusCode.OK, $"{token.StatusCode} {text} {string.Join(" | ", token.Headers)}");
        var body = JsonDocument.Parse(text).RootElement;
        client.Headers[body.GetProperty("headerName").GetString()!] = body.GetProperty("token").GetString()!;
        return client;
    }

    private static Task SendAsync(ClientWebSocket socket, string message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message + "\u001e"), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var text = new StringBuilder();
        while (!text.ToString().EndsWith('\u001e'))
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }

        return text.ToString().TrimEnd('\u001e');
    }

    /// <summary>A browser's cookie jar by hand: the server marks its cookies Secure (the request came in over
    /// "https"), and an HttpClient cookie container would not send those over the test's plain http.</summary>
    private sealed class CookieClient(Uri baseAddress, string? clientAddress)
    {
        private static readonly HttpClient Http = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

        public string CookieHeader => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

        public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null)
        {
            using var request = new HttpRequestMessage(method, new Uri(baseAddress, path));
            if (json is not null)
            {
                request.Content = JsonContent.Create(json);
            }

            if (clientAddress is not null)
            {
                request.Headers.Add(Nginx.ClientHeader, clientAddress);
            }

            if (_cookies.Count > 0)
            {
                request.Headers.Add("Cookie", CookieHeader);
            }

            foreach (var (name, value) in Headers)
            {
                request.Headers.Add(name, value);
            }

            var response = await Http.SendAsync(request);
            foreach (var cookie in response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
            {
                var pair = cookie.Split(';', 2)[0].Split('=', 2);
                _cookies[pair[0].Trim()] = pair[1].Trim();
            }

            return response;
        }
    }

    private sealed class UpstreamRecorder : DelegatingHandler
    {
        public List<string> Seen { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Seen.AddRange(response.Headers.TryGetValues("X-Upstream", out var values) ? values : []);
            return response;
        }
    }

    /// <summary>The WeChat simulator, one database, two server processes that trust 127.0.0.2, and nginx before them.</summary>
    public sealed class Deployment : IAsyncLifetime
    {
        private readonly PostgresServer _postgres = new();

        internal LoopbackSimulator Simulator { get; private set; } = null!;

        internal ServerProcess.RunningServer[] Servers { get; private set; } = [];

        internal Nginx Proxy { get; private set; } = null!;

        public WeChatAccountOptions Account { get; } = new()
        {
            AppId = "wx" + RandomNumberGenerator.GetHexString(16, lowercase: true),
            AppSecret = RandomNumberGenerator.GetHexString(32, lowercase: true),
            Token = RandomNumberGenerator.GetHexString(20, lowercase: true),
            EncodingAESKey = "",
            PolicyId = "pengshui-2024",
        };

        public async Task InitializeAsync()
        {
            await _postgres.InitializeAsync();
            var database = await _postgres.CreateDatabaseAsync();
            Simulator = await LoopbackSimulator.StartAsync();
            var environment = new Dictionary<string, string>
            {
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Default"] = database,
                ["Clock__Now"] = "2023-11-15T10:00:00+08:00",
                ["WeChat__ApiBaseAddress"] = Simulator.ApiBaseAddress.ToString(),
                ["WeChat__Accounts__proxied__AppId"] = Account.AppId,
                ["WeChat__Accounts__proxied__AppSecret"] = Account.AppSecret,
                ["WeChat__Accounts__proxied__Token"] = Account.Token,
                ["WeChat__Accounts__proxied__EncodingAESKey"] = "",
                ["WeChat__Accounts__proxied__PolicyId"] = Account.PolicyId,
                ["Staff__BootstrapAdmin__UserName"] = AdminUser,
                ["Staff__BootstrapAdmin__Password"] = AdminPassword,
                ["Hosting__KnownProxies__0"] = Nginx.ProxyAddress,
                ["Hosting__LoginAttemptsPerMinute"] = LoginAttemptsPerMinute.ToString(CultureInfo.InvariantCulture),
                ["Logging__LogLevel__Default"] = "Warning",
            };
            // One after the other: the first applies the schema and creates the bootstrap administrator.
            var first = ServerProcess.Start(environment);
            Servers = [first];
            await first.WaitForHealthyAsync(TimeSpan.FromSeconds(90));
            var second = ServerProcess.Start(environment);
            Servers = [first, second];
            await second.WaitForHealthyAsync(TimeSpan.FromSeconds(90));
            Proxy = await Nginx.StartAsync(Servers.Select(s => s.BaseAddress));
        }

        public async Task DisposeAsync()
        {
            if (Proxy is not null)
            {
                await Proxy.DisposeAsync();
            }

            foreach (var server in Servers)
            {
                await server.DisposeAsync();
            }

            if (Simulator is not null)
            {
                await Simulator.DisposeAsync();
            }

            await _postgres.DisposeAsync();
        }
    }
}
