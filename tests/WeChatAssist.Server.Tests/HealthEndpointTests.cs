using System.Net;
using System.Text.Json;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Healthz_reports_overall_status_and_database_and_scheduler_entries_as_JSON()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString);
        var client = server.CreateClient();

        var (status, body) = await HealthProbe.WaitForHealthyAsync(client);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Number, body.GetProperty("totalDurationMs").ValueKind);
        var checks = body.GetProperty("checks");
        Assert.Equal(["database", "scheduler"], checks.EnumerateObject().Select(c => c.Name).Order());
        var database = checks.GetProperty("database");
        Assert.Equal("Healthy", database.GetProperty("status").GetString());
        Assert.Contains(file.Path, database.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Sqlite", database.GetProperty("data").GetProperty("provider").GetString());
        Assert.Equal("Healthy", checks.GetProperty("scheduler").GetProperty("status").GetString());

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Healthz_answers_503_when_the_database_lost_its_schema()
    {
        using var file = new TempSqliteFile();
        await using var server = ServerFactory.ForSqlite(file.ConnectionString);
        var client = server.CreateClient();
        await HealthProbe.WaitForHealthyAsync(client);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(file.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = connection.CreateCommand();
            drop.CommandText = "DROP TABLE schema_version";
            await drop.ExecuteNonQueryAsync();
        }

        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }
}
