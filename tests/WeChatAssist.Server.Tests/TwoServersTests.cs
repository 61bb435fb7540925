using System.Net;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class TwoServersTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Two_servers_started_at_the_same_moment_against_one_empty_PostgreSQL_both_come_up()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var first = ServerFactory.ForPostgres(connectionString);
        await using var second = ServerFactory.ForPostgres(connectionString);

        using var start = new Barrier(2);
        var clients = await Task.WhenAll(new[] { first, second }.Select(server => Task.Run(() =>
        {
            start.SignalAndWait();
            return server.CreateClient();
        })));
        var reports = await Task.WhenAll(clients.Select(client => HealthProbe.WaitForHealthyAsync(client)));

        Assert.All(reports, report =>
        {
            Assert.Equal(HttpStatusCode.OK, report.Status);
            Assert.Equal("Healthy", report.Body.GetProperty("status").GetString());
        });
        await using var target = Databases.Target(DatabaseProvider.Postgres, connectionString);
        var latest = Server.Data.Schema.SchemaCatalog.FromEmbeddedScripts().LatestVersion;
        Assert.Equal(Enumerable.Range(1, latest), await Databases.SchemaVersionsAsync(target));

        // Both job servers joined one cluster: two servers, with distinct names, beat in the one job storage.
        var servers = await Databases.ScalarAsync(target, "SELECT count(DISTINCT id) FROM hangfire.server");
        Assert.Equal(2L, servers);
    }

    [Fact]
    public async Task Two_server_processes_started_together_against_one_empty_PostgreSQL_both_answer_healthz()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = connectionString,
        };
        await using var first = ServerProcess.Start(environment);
        await using var second = ServerProcess.Start(environment);

        var reports = await Task.WhenAll(WaitForHealthyAsync(first), WaitForHealthyAsync(second));

        Assert.All(reports, report => Assert.True(report.Status == HttpStatusCode.OK && report.Body.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal), $"{report.Status}: {report.Body}"));
        await using var target = Databases.Target(DatabaseProvider.Postgres, connectionString);
        var latest = Server.Data.Schema.SchemaCatalog.FromEmbeddedScripts().LatestVersion;
        Assert.Equal(Enumerable.Range(1, latest), await Databases.SchemaVersionsAsync(target));
        Assert.Equal(2L, await Databases.ScalarAsync(target, "SELECT count(DISTINCT id) FROM hangfire.server"));
    }

    private static async Task<(HttpStatusCode Status, string Body)> WaitForHealthyAsync(ServerProcess.RunningServer server)
    {
        using var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = (Status: (HttpStatusCode)0, Body: "no answer");
        while (DateTime.UtcNow < deadline)
        {
            if (server.HasExited)
            {
                throw new Xunit.Sdk.XunitException("The server exited: " + await server.OutputAfterExitAsync());
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                last = (response.StatusCode, await response.Content.ReadAsStringAsync());
                if (last.Status == HttpStatusCode.OK && last.Body.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal))
                {
                    break;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
                last = (last.Status, ex.Message);
            }

            await Task.Delay(200);
        }

        return last;
    }
}
