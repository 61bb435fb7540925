using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Residents;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Imports;

/// <summary>A full server (see <see cref="ResidentServer"/>) on SQLite, shared by a test class; every test uses
/// its own ID numbers so tests do not see each other's rows.</summary>
public sealed class SqliteImportServerFixture : IAsyncLifetime, IDisposable
{
    private readonly TempSqliteFile _file = new();

    internal ResidentServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, _file.ConnectionString);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _file.Dispose();
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Uploads files to <c>/api/v1/admin/imports</c> as a signed-in bureau administrator.</summary>
internal sealed class ImportClient : IDisposable
{
    public const string PolicyId = "wenxi-2024";

    private readonly HttpClient _client;

    private ImportClient(HttpClient client) => _client = client;

    public HttpClient Http => _client;

    public static async Task<ImportClient> SignInAsync(ResidentServer server, string userName = ResidentServer.AdminUser, string password = ResidentServer.AdminPassword)
    {
        var client = server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        using var login = await client.PostAsJsonAsync("/api/v1/staff/login", new { userName, password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        await Residents.StaffSession.AttachAntiforgeryTokenAsync(client);
        return new ImportClient(client);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(byte[] content, string kind, string mode = "apply", string fileName = "名单.xlsx", string policyId = PolicyId, string? asOf = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(kind), "kind");
        form.Add(new StringContent(policyId), "policyId");
        form.Add(new StringContent(mode), "mode");
        if (asOf is not null)
        {
            form.Add(new StringContent(asOf), "asOf");
        }

        using var response = await _client.PostAsync(new Uri("/api/v1/admin/imports", UriKind.Relative), form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<string> GetTextAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<byte[]> GetBytesAsync(string path)
    {
        using var response = await _client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>Valid 闻喜县 ID numbers, unique per call.</summary>
internal static class WenxiIds
{
    public static string Next(string birth = "19800101") => TestIds.Next("140823", birth);

    /// <summary>A number with a wrong check character.</summary>
    public static string BadChecksum()
    {
        var good = Next();
        var wrong = good[17] == '0' ? '1' : '0';
        return good[..17] + wrong;
    }

    public static ResidentIdNumber Parse(string text)
    {
        Assert.True(ResidentIdNumber.TryParse(text, new DateOnly(2023, 11, 15), out var number, out var error), error.ToString());
        return number.Value;
    }
}
