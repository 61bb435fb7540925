using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using WeChatAssist.Server.StaffConsole;

namespace WeChatAssist.Server.Tests.Console;

/// <summary>A dashboard as the console's page is one: a staff member signed in with a cookie, connected to the
/// progress hub over a real WebSocket with the .NET SignalR client, recording every <c>progress</c> message.</summary>
internal sealed class DashboardConnection : IAsyncDisposable
{
    private readonly HubConnection _connection;

    private DashboardConnection(HubConnection connection)
    {
        _connection = connection;
        _connection.On<ProgressChanged>(ProgressPublisher.Method, Received.Enqueue);
    }

    public ConcurrentQueue<ProgressChanged> Received { get; } = new();

    /// <summary>Signs in at <paramref name="server"/> (a Kestrel address) and connects to <c>/hubs/progress</c>.</summary>
    public static async Task<DashboardConnection> SignInAsync(Uri server, string userName, string password)
    {
        var cookies = new CookieContainer();
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = server })
        using (var login = await http.PostAsJsonAsync("/api/v1/staff/login", new { userName, password }))
        {
            Assert.True(login.IsSuccessStatusCode, await login.Content.ReadAsStringAsync());
        }

        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server, "hubs/progress"), options =>
            {
                options.Cookies = cookies;
                options.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        await connection.StartAsync();
        return new DashboardConnection(connection);
    }

    /// <summary>Asks the hub to watch a scope; false when it is outside the account's.</summary>
    public Task<bool> WatchAsync(string policyId, string? township = null, string? village = null) =>
        _connection.InvokeAsync<bool>("Watch", policyId, township, village);

    public async Task<ProgressChanged> WaitForAsync(Func<ProgressChanged, bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var found = Received.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("no matching progress message; received: " + string.Join("; ", Received));
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
