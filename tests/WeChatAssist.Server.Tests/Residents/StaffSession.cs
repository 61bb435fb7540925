using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Staff;

namespace WeChatAssist.Server.Tests.Residents;

/// <summary>A signed-in staff browser: its own cookie jar, and the antiforgery token sent on every write as the
/// console's pages do.</summary>
internal sealed class StaffSession : IDisposable
{
    public const string Password = "village-password-1";

    private readonly HttpClient _client;
    private string? _token;

    private StaffSession(HttpClient client) => _client = client;

    public HttpClient Client => _client;

    public static StaffSession Anonymous(ResidentServer server) => new(server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true }));

    /// <summary>Signs in and fetches the antiforgery token.</summary>
    public static async Task<StaffSession> SignInAsync(ResidentServer server, string userName, string password = Password)
    {
        var session = Anonymous(server);
        using var login = await session._client.PostAsJsonAsync("/api/v1/staff/login", new { userName, password });
        Assert.True(login.StatusCode == HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        await session.RefreshTokenAsync();
        return session;
    }

    /// <summary>A new account made through the store (not the API under test), in 彭水 unless told otherwise.</summary>
    public static async Task<string> CreateUserAsync(ResidentServer server, StaffRole role, string? township, string? village, string policyId = "pengshui-2024")
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..10];
        await server.Services.GetRequiredService<StaffStore>().CreateAsync(user, Password, role, policyId, township, village, CancellationToken.None);
        return user;
    }

    /// <summary>For a plain signed-in <see cref="HttpClient"/>: fetches the antiforgery token and sends it on every
    /// later request, as the console's pages do.</summary>
    public static async Task AttachAntiforgeryTokenAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/staff/antiforgery", UriKind.Relative));
        client.DefaultRequestHeaders.Remove(StaffAntiforgery.HeaderName);
        client.DefaultRequestHeaders.Add(StaffAntiforgery.HeaderName, body.GetProperty("token").GetString());
    }

    public async Task RefreshTokenAsync()
    {
        var body = await _client.GetFromJsonAsync<JsonElement>(new Uri("/api/v1/staff/antiforgery", UriKind.Relative));
        Assert.Equal(StaffAntiforgery.HeaderName, body.GetProperty("headerName").GetString());
        _token = body.GetProperty("token").GetString();
    }

    public Task<(HttpStatusCode Status, JsonElement Body, string Text)> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<(HttpStatusCode Status, JsonElement Body, string Text)> PostAsync(string path, object? body = null, bool withToken = true) =>
        SendAsync(HttpMethod.Post, path, body ?? new { }, withToken);

    public async Task<(HttpStatusCode Status, JsonElement Body, string Text)> SendAsync(HttpMethod method, string path, object? body, bool withToken = true)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (withToken && _token is not null)
        {
            request.Headers.Add(StaffAntiforgery.HeaderName, _token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var trimmed = text.TrimStart();
        var json = trimmed.StartsWith('{') || trimmed.StartsWith('[') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, json, text);
    }

    public void Dispose() => _client.Dispose();
}
