using System.Text.Json;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Policies;

/// <summary>One real server (SQLite in a temp folder) for the policy API tests, its business clock pinned to 2023-11-15.</summary>
public sealed class PolicyServerFixture : IAsyncLifetime, IDisposable
{
    public const string BusinessNow = "2023-11-15T10:00:00+08:00";

    private readonly TempSqliteFile _file = new();
    private ServerFactory? _server;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = ServerFactory.ForSqlite(_file.ConnectionString, extra: new Dictionary<string, string?> { ["Clock:Now"] = BusinessNow });
        Client = _server.CreateClient();
        await HealthProbe.WaitForHealthyAsync(Client);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _file.Dispose();
    }

    public void Dispose() => _file.Dispose();

    /// <summary>GETs a quote with the query parameters URL-encoded (Chinese category names included).</summary>
    public async Task<(int Status, JsonElement Body, string? ContentType)> QuoteAsync(string policyId, params (string Key, string Value)[] query)
    {
        var queryString = string.Join("&", query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        using var response = await Client.GetAsync(new Uri($"/api/v1/policies/{policyId}/quote?{queryString}", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return ((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }
}
