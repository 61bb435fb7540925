using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.WeChat;
using Microsoft.Extensions.Logging;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>A real server (Development, in-process WeChat simulator) with its business date pinned inside 彭水's
/// 2024 collection window, helpers to seed the registry through its own insert code and to sign in like the
/// mini-program, and every log line captured.</summary>
internal sealed class ResidentServer : IAsyncDisposable
{
    public const string BusinessNow = "2023-11-15T10:00:00+08:00";
    public const string Account = "pengshui";
    public const string AppId = "wx0000000000000003";
    public const string AdminUser = "admin";
    public const string AdminPassword = "correct horse battery";

    private readonly ServerFactory _factory;

    private ResidentServer(ServerFactory factory, CapturingLoggerProvider logs, Uri? kestrelAddress)
    {
        _factory = factory;
        Logs = logs;
        KestrelAddress = kestrelAddress;
        Client = kestrelAddress is null ? factory.CreateClient() : new HttpClient { BaseAddress = kestrelAddress };
    }

    public HttpClient Client { get; }

    /// <summary>Where the server listens when started over Kestrel (a real loopback socket); null in memory.</summary>
    public Uri? KestrelAddress { get; }

    public CapturingLoggerProvider Logs { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Another client of the same server, e.g. with its own cookie jar.</summary>
    public HttpClient CreateClient(Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (KestrelAddress is null)
        {
            return _factory.CreateClient(options);
        }

        var handler = new HttpClientHandler { AllowAutoRedirect = options.AllowAutoRedirect, UseCookies = options.HandleCookies };
        return new HttpClient(handler) { BaseAddress = KestrelAddress };
    }

    /// <param name="overKestrel">Listen on a real loopback port (for clients that need a socket, such as SignalR's
    /// WebSocket transport) instead of the in-memory test server.</param>
    public static async Task<ResidentServer> StartAsync(DatabaseProvider provider, string connectionString, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null, bool overKestrel = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Clock:Now"] = BusinessNow,
            ["Staff:BootstrapAdmin:UserName"] = AdminUser,
            ["Staff:BootstrapAdmin:Password"] = AdminPassword,
            ["Staff:MaxFailedLogins"] = "3",
            ["MiniProgram:FamilyLimit"] = "2",

            // Everything, framework request logging included, so the tests can look for personal data in it.
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var logs = new CapturingLoggerProvider();
        void Services(IServiceCollection collection)
        {
            collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));

            // The in-memory test server has no socket: the WeChat client reaches the in-process simulator through it.
            // Over Kestrel the simulator is reached on the server's own port, as in `dotnet run`.
            if (!overKestrel)
            {
                collection.AddHttpClient(WeChatServiceCollectionExtensions.ApiHttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(sp => ((TestServer)sp.GetRequiredService<IServer>()).CreateHandler());
            }

            services?.Invoke(collection);
        }
        var factory = provider == DatabaseProvider.Postgres
            ? ServerFactory.ForPostgres(connectionString, Services, settings)
            : ServerFactory.ForSqlite(connectionString, services: Services, extra: settings);
        Uri? kestrelAddress = null;
        if (overKestrel)
        {
            factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
            factory.StartServer();
            var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
            kestrelAddress = new Uri(addresses.First() + "/");
        }

        var server = new ResidentServer(factory, logs, kestrelAddress);
        var (status, body) = await HealthProbe.WaitForHealthyAsync(server.Client);
        Assert.True(status == HttpStatusCode.OK, body.ToString());
        return server;
    }

    /// <summary>Adds a resident through the registry's own insert code.</summary>
    public async Task<long> SeedAsync(string name, string idNumber, string policyId = "pengshui-2024", string township = "汉葭街道", string village = "文家村", string[]? categories = null, int? paidYear = null)
    {
        Assert.True(ResidentIdNumber.TryParse(idNumber, new DateOnly(2023, 11, 15), out var number, out var error), error.ToString());
        var registry = Services.GetRequiredService<ResidentRegistry>();
        return await registry.InsertAsync(
            new NewResident(policyId, township, village, name, number.Value, categories ?? [], paidYear, paidYear is null ? null : new DateOnly(2023, 10, 20)),
            CancellationToken.None);
    }

    /// <summary>Signs in like the mini-program: <c>wx.login</c> code from the simulator, then our session endpoint.</summary>
    public async Task<string> SessionAsync(string openId, string account = Account, string appId = AppId)
    {
        var code = await IssueCodeAsync(appId, openId);
        using var response = await Client.PostAsJsonAsync("/api/v1/mp/session", new { account, code });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body + string.Join("\n", Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal))));
        return JsonDocument.Parse(body).RootElement.GetProperty("token").GetString()!;
    }

    public async Task<string> IssueCodeAsync(string appId, string openId)
    {
        using var response = await Client.PostAsync(new Uri($"/wechat-sim/_simulator/codes?appid={appId}&openid={openId}", UriKind.Relative), null);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString()!;
    }

    public Task<(HttpStatusCode Status, JsonElement Body, string Text)> BindAsync(string token, string name, string idNumber, string relation = "self") =>
        SendAsync(HttpMethod.Post, "/api/v1/mp/bindings", token, new { name, idNumber, relation });

    public Task<(HttpStatusCode Status, JsonElement Body, string Text)> MeAsync(string token) =>
        SendAsync(HttpMethod.Get, "/api/v1/mp/me", token, null);

    public async Task<(HttpStatusCode Status, JsonElement Body, string Text)> SendAsync(HttpMethod method, string path, string? token, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, json, text);
    }

    public async Task<long> CountAsync(string sql)
    {
        var target = Services.GetRequiredService<DatabaseTarget>();
        return Convert.ToInt64(await Databases.ScalarAsync(target, sql), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}

/// <summary>Every formatted log message of the server, at every level, with its exception.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {state} {exception}");
    }
}
