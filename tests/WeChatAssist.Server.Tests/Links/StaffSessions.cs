using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Links;

/// <summary>Staff accounts of every role for a test server, and cookie clients signed in as them.</summary>
internal static class StaffSessions
{
    public const string Password = "console-password-1";

    /// <summary>Creates an account of <paramref name="role"/> in 彭水 and returns its user name.</summary>
    public static async Task<string> CreateAsync(this ResidentServer server, StaffRole role, string? township, string? village, string? policyId = "pengshui-2024")
    {
        var user = "u" + Guid.NewGuid().ToString("N")[..10];
        await server.Services.GetRequiredService<StaffStore>().CreateAsync(user, Password, role, policyId, township, village, CancellationToken.None);
        return user;
    }

    /// <summary>A cookie client signed in as <paramref name="user"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(this ResidentServer server, string user, string password = Password)
    {
        var client = server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        using var response = await client.PostAsJsonAsync("/api/v1/staff/login", new { userName = user, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Residents.StaffSession.AttachAntiforgeryTokenAsync(client);
        return client;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && (text[0] == '{' || text[0] == '[') ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(this HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
