using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Corrections;

/// <summary>One SQLite server with the outcome message's template configured and photos in a temporary folder.</summary>
public sealed class CorrectionServerFixture : IAsyncLifetime, IDisposable
{
    public const string TemplateId = "tmpl-correction-result";

    private readonly TempSqliteFile _file = new();

    internal ResidentServer Server { get; private set; } = null!;

    internal string PhotoDirectory { get; } = Path.Combine(Path.GetTempPath(), "wca-photos-" + Guid.NewGuid().ToString("N"));

    public async Task InitializeAsync() => Server = await ResidentServer.StartAsync(DatabaseProvider.Sqlite, _file.ConnectionString, new Dictionary<string, string?>
    {
        ["Corrections:ResultMessage:TemplateId"] = TemplateId,
        ["Corrections:PhotoDirectory"] = PhotoDirectory,
        ["Corrections:MaxPhotoBytes"] = "4096",
    });

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Dispose();
    }

    public void Dispose()
    {
        _file.Dispose();
        if (Directory.Exists(PhotoDirectory))
        {
            Directory.Delete(PhotoDirectory, recursive: true);
        }
    }
}

/// <summary>How the mini-program submits a correction: multipart/form-data, as <c>wx.uploadFile</c> sends it.</summary>
internal static class CorrectionRequests
{
    /// <summary>The first bytes of a JPEG, enough for the type check.</summary>
    public static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05];

    public static async Task<(HttpStatusCode Status, JsonElement Body, string Text)> SubmitAsync(
        this ResidentServer server, string token, long residentId, string field, string value, byte[]? photo = null, string photoName = "photo.jpg")
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(residentId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "residentId" },
            { new StringContent(field), "field" },
            { new StringContent(value), "value" },
        };
        if (photo is not null)
        {
            var file = new ByteArrayContent(photo);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
            form.Add(file, "photo", photoName);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/mp/corrections", UriKind.Relative)) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.TrimStart().StartsWith('{') ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return (response.StatusCode, json, text);
    }

    /// <summary>The caller's corrections (<c>GET /api/v1/mp/corrections</c>), as a JSON array.</summary>
    public static async Task<JsonElement> MyCorrectionsAsync(this ResidentServer server, string token)
    {
        var (status, _, text) = await server.SendAsync(HttpMethod.Get, "/api/v1/mp/corrections", token, null);
        Assert.True(status == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A signed-in resident bound to a freshly seeded person; returns the token and the resident id.</summary>
    public static async Task<(string Token, long ResidentId, string OpenId)> BoundResidentAsync(
        this ResidentServer server, string name, string idNumber, string township = "汉葭街道", string village = "文家村", string[]? categories = null)
    {
        var residentId = await server.SeedAsync(name, idNumber, township: township, village: village, categories: categories);
        var openId = TestIds.OpenId();
        var token = await server.SessionAsync(openId);
        var (status, _, text) = await server.BindAsync(token, name, idNumber);
        Assert.True(status == HttpStatusCode.Created, text);
        return (token, residentId, openId);
    }
}
