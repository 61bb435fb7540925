using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests;

/// <summary>The README's backup procedure: pg_dump, pg_restore into a fresh database, the same personal-data keys.</summary>
public sealed class BackupRestoreTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private readonly Dictionary<string, string> _keys = new()
    {
        ["PersonalData__Keys__k2026"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["PersonalData__ActiveKeyId"] = "k2026",
        ["PersonalData__LookupKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
    };

    [Fact]
    public async Task A_dump_restored_into_a_fresh_database_serves_the_residents_again_with_the_same_keys_and_refuses_a_wrong_key()
    {
        var original = await postgres.CreateDatabaseAsync();
        const string name = "司马青云";
        var number = TestIds.Next();
        await using (var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, original, _keys.ToDictionary(k => k.Key.Replace("__", ":", StringComparison.Ordinal), k => (string?)k.Value)))
        {
            await server.SeedAsync(name, number, paidYear: 2024);
            await server.SeedAsync("诸葛未付", TestIds.Next());
            var token = await server.SessionAsync(TestIds.OpenId());
            Assert.Equal(HttpStatusCode.Created, (await server.BindAsync(token, name, number)).Status);
        }

        var dump = Path.Combine(Path.GetTempPath(), $"wechatassist-{Guid.NewGuid():N}.dump");
        try
        {
            await PgToolAsync("pg_dump", original, "--format=custom", "--file", dump);
            var restored = await postgres.CreateDatabaseAsync();
            await PgToolAsync("pg_restore", restored, "--no-owner", "--exit-on-error", "--dbname", Database(restored), dump);

            var environment = new Dictionary<string, string>(_keys)
            {
                ["Database__Provider"] = "Postgres",
                ["ConnectionStrings__Default"] = restored,
                ["Clock__Now"] = ResidentServer.BusinessNow,
            };
            await using (var server = ServerProcess.Start(environment))
            {
                await server.WaitForHealthyAsync(TimeSpan.FromSeconds(90));
                var residents = await ReadResidentsAsync(server.BaseAddress);
                var paid = Assert.Single(residents, r => r.GetProperty("paidYear").ValueKind == JsonValueKind.Number);
                Assert.Equal(2024, paid.GetProperty("paidYear").GetInt32());
                Assert.Equal("司马**", paid.GetProperty("name").GetString());
                Assert.Equal(number[..4] + "**********" + number[14..], paid.GetProperty("idNumber").GetString());
                Assert.Equal(2, residents.Count);
                Assert.Equal(1L, await ScalarAsync(restored, "SELECT count(*) FROM resident_bindings"));
            }

            var before = await FingerprintAsync(restored);
            var wrong = new Dictionary<string, string>(environment) { ["PersonalData__Keys__k2026"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
            var refused = await ServerProcess.RunUntilExitAsync(wrong, timeout: TimeSpan.FromSeconds(90));

            Assert.Equal(2, refused.ExitCode);
            var line = Assert.Single(refused.ErrorLines);
            Assert.StartsWith("Invalid configuration: PersonalData:Keys:k2026: is not the key this database's values were encrypted with.", line, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong["PersonalData__Keys__k2026"], refused.StandardOutput + refused.StandardError, StringComparison.Ordinal);
            Assert.Equal(before, await FingerprintAsync(restored));
        }
        finally
        {
            File.Delete(dump);
        }
    }

    [Fact]
    public async Task A_database_written_before_key_fingerprints_is_checked_by_opening_a_stored_name()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using (var server = await ResidentServer.StartAsync(DatabaseProvider.Postgres, database, _keys.ToDictionary(k => k.Key.Replace("__", ":", StringComparison.Ordinal), k => (string?)k.Value)))
        {
            await server.SeedAsync("上官旧库", TestIds.Next());
        }

        await ScalarAsync(database, "DELETE FROM app_settings WHERE key = 'personal-data.key-fingerprints' RETURNING 1");
        var environment = new Dictionary<string, string>(_keys)
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = database,
            ["PersonalData__Keys__k2026"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };

        var refused = await ServerProcess.RunUntilExitAsync(environment, timeout: TimeSpan.FromSeconds(90));

        Assert.Equal(2, refused.ExitCode);
        Assert.StartsWith("Invalid configuration: PersonalData:Keys: the configured keys do not open the names stored in this database", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
        Assert.Null(await ScalarAsync(database, "SELECT count(*) FROM app_settings WHERE key = 'personal-data.key-fingerprints' HAVING count(*) > 0"));
    }

    private static async Task<List<JsonElement>> ReadResidentsAsync(Uri baseAddress)
    {
        // Production marks the cookie Secure; this client talks plain http to the node, so it carries the cookie itself.
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = baseAddress };
        using var login = await http.PostAsJsonAsync("/api/v1/staff/login", new { userName = ResidentServer.AdminUser, password = ResidentServer.AdminPassword });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/residents?policyId=pengshui-2024");
        request.Headers.Add("Cookie", string.Join("; ", login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return [.. JsonDocument.Parse(text).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task PgToolAsync(string tool, string connectionString, params string[] arguments)
    {
        var bin = Environment.GetEnvironmentVariable("WECHATASSIST_TEST_PG_BIN")
            ?? throw new InvalidOperationException("WECHATASSIST_TEST_PG_BIN is not set; run ./test.sh.");
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(Path.Combine(bin, tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "--host", builder.Host!, "--port", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--username", builder.Username! })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (tool == "pg_dump")
        {
            start.ArgumentList.Add(builder.Database!);
        }

        start.Environment["PGPASSWORD"] = builder.Password;
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await stderr}");
    }

    private static string Database(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;

    /// <summary>A digest of everything a start could overwrite: registry, bindings, payments, settings.</summary>
    private static async Task<string> FingerprintAsync(string connectionString) =>
        (string)(await ScalarAsync(connectionString, """
            SELECT md5(concat(
              (SELECT string_agg(r::text, '|' ORDER BY id) FROM residents r),
              (SELECT string_agg(b::text, '|' ORDER BY b::text) FROM resident_bindings b),
              (SELECT string_agg(p::text, '|' ORDER BY p::text) FROM payment_events p),
              (SELECT string_agg(s::text, '|' ORDER BY key) FROM app_settings s)))
            """))!;

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
