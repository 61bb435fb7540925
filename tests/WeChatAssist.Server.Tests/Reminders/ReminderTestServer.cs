using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;
using WeChatAssist.WeChat.Simulator.Api;

namespace WeChatAssist.Server.Tests.Reminders;

/// <summary>A <see cref="ResidentServer"/> for reminder tests: business date chosen per test, fast dispatcher and
/// WeChat retries, helpers for bound residents, staff sign-in and waiting on the outbox.</summary>
internal static class ReminderTestServer
{
    public const string TemplateSend = "cgi-bin/message/template/send";

    public static async Task<ResidentServer> StartAsync(bool onPostgres, TempSqliteFile sqlite, PostgresServer postgres, string businessNow, IDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Clock:Now"] = businessNow,
            ["Reminders:IdleDelay"] = "00:00:00.050",
            ["Reminders:Jitter"] = "00:00:00",
            ["Reminders:RetryBaseDelay"] = "00:00:00",
            ["WeChat:ApiRetryBaseDelay"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return onPostgres
            ? await ResidentServer.StartAsync(DatabaseProvider.Postgres, await postgres.CreateDatabaseAsync(), settings)
            : await ResidentServer.StartAsync(DatabaseProvider.Sqlite, sqlite.ConnectionString, settings);
    }

    /// <summary>Seeds a resident and binds a new mini-program user to them; returns the resident id and open id.</summary>
    public static async Task<(long Id, string OpenId)> BoundResidentAsync(this ResidentServer server, string name, int? paidYear = null, string township = "汉葭街道", string village = "文家村", string[]? categories = null)
    {
        var idNumber = TestIds.Next();
        var id = await server.SeedAsync(name, idNumber, township: township, village: village, categories: categories, paidYear: paidYear);
        var openId = TestIds.OpenId();
        var token = await server.SessionAsync(openId);
        var (status, _, text) = await server.BindAsync(token, name, idNumber);
        Assert.True(status == HttpStatusCode.Created, text);
        return (id, openId);
    }

    /// <summary>Seeds <paramref name="count"/> bound, owing residents (居民0, 居民1, …) and plans their reminders through
    /// the endpoint.</summary>
    public static async Task PlanForResidentsAsync(this ResidentServer server, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await server.BoundResidentAsync("居民" + i);
        }

        using var admin = await server.StaffClientAsync();
        await admin.PostJsonAsync("/api/v1/admin/reminders/plan");
    }

    /// <summary>The next template sends answer, in call order: -1 three times (the WeChat client's own attempts),
    /// 43101, a success, then 45009 — one of each error class.</summary>
    public static void InjectOneOfEachErrorClass(this SimulatorFaults faults)
    {
        faults.Inject(new SimulatorFault(TemplateSend, SimulatorFaultKind.ErrorCode, 3) { ErrorCode = -1 });
        faults.Inject(new SimulatorFault(TemplateSend, SimulatorFaultKind.ErrorCode) { ErrorCode = 43101 });
        faults.Inject(new SimulatorFault(TemplateSend, SimulatorFaultKind.Delay) { DelayMilliseconds = 1 });
        faults.Inject(new SimulatorFault(TemplateSend, SimulatorFaultKind.ErrorCode) { ErrorCode = 45009 });
    }

    /// <summary>A client signed in as <paramref name="userName"/>.</summary>
    public static async Task<HttpClient> StaffClientAsync(this ResidentServer server, string userName = ResidentServer.AdminUser, string password = ResidentServer.AdminPassword)
    {
        var client = server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = await client.PostAsJsonAsync("/api/v1/staff/login", new { userName, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        await Residents.StaffSession.AttachAntiforgeryTokenAsync(client);
        return client;
    }

    /// <summary>Creates a staff account and returns a client signed in with it.</summary>
    public static async Task<HttpClient> NewStaffAsync(this ResidentServer server, string userName, StaffRole role, string? township = null, string? village = null)
    {
        const string Password = "another long password";
        await server.Services.GetRequiredService<StaffStore>().CreateAsync(userName, Password, role, "pengshui-2024", township, village, CancellationToken.None);
        return await server.StaffClientAsync(userName, Password);
    }

    public static async Task<JsonElement> PostJsonAsync(this HttpClient client, string path, object? body = null)
    {
        using var response = await client.PostAsJsonAsync(path, body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Waits until <paramref name="sql"/> (a COUNT) returns <paramref name="expected"/>.</summary>
    public static async Task WaitForCountAsync(this ResidentServer server, string sql, long expected, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        long last;
        while ((last = await CountOrMinusOneAsync(server, sql)) != expected)
        {
            Assert.True(DateTime.UtcNow < until, $"'{sql}' stayed at {last}, expected {expected}");
            await Task.Delay(50);
        }
    }

    // The fault tests terminate every backend of their database, the pooled ones this poll uses included: a poll
    // that meets a killed connection just polls again.
    private static async Task<long> CountOrMinusOneAsync(ResidentServer server, string sql)
    {
        try
        {
            return await server.CountAsync(sql);
        }
        catch (Npgsql.NpgsqlException e) when (e.IsTransient || e is Npgsql.PostgresException { SqlState: "57P01" })
        {
            return -1;
        }
    }

    public static SimulatorCallLog CallLog(this ResidentServer server) => server.Services.GetRequiredService<SimulatorCallLog>();

    public static SimulatorFaults Faults(this ResidentServer server) => server.Services.GetRequiredService<SimulatorFaults>();

    /// <summary>Template messages the simulator accepted for <paramref name="openId"/>.</summary>
    public static IReadOnlyList<JsonElement> TemplatesTo(this ResidentServer server, string openId) =>
        [.. server.CallLog().Calls(TemplateSend)
            .Where(c => c.ErrorCode == 0 && c.Body is not null)
            .Select(c => JsonDocument.Parse(c.Body!).RootElement.Clone())
            .Where(b => b.GetProperty("touser").GetString() == openId)];
}
