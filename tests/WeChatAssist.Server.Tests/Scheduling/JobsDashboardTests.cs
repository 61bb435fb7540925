using System.Net;
using Hangfire;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Staff;
using WeChatAssist.Server.Tests.Infrastructure;
using WeChatAssist.Server.Tests.Reminders;
using WeChatAssist.Server.Tests.Residents;

namespace WeChatAssist.Server.Tests.Scheduling;

/// <summary>The Hangfire dashboard at /console/jobs, on both providers, reached over HTTP with staff logins: bureau
/// staff see it and act, township staff only see it, village cadres and strangers are refused, and the storage's
/// connection string appears nowhere.</summary>
public sealed class JobsDashboardTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Bureau_staff_see_and_trigger_jobs_township_staff_only_see_them_and_others_are_refused(string providerName)
    {
        var provider = Enum.Parse<DatabaseProvider>(providerName);
        using var file = new TempSqliteFile();
        var connectionString = provider == DatabaseProvider.Postgres ? await postgres.CreateDatabaseAsync() : file.ConnectionString;
        await using var server = await ResidentServer.StartAsync(provider, connectionString);

        using var stranger = server.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        using var village = await server.NewStaffAsync("cadre", StaffRole.Village, "汉葭街道", "文家村");
        using var township = await server.NewStaffAsync("township", StaffRole.Township, "汉葭街道");
        using var bureau = await server.StaffClientAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(stranger, "/console/jobs")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(village, "/console/jobs")).Status);

        foreach (var client in new[] { township, bureau })
        {
            var (status, html) = await GetAsync(client, "/console/jobs/recurring");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("reminders-planner", html, StringComparison.Ordinal);
            Assert.DoesNotContain(connectionString, html, StringComparison.Ordinal);
            Assert.DoesNotContain("Data Source=", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Username=", html, StringComparison.OrdinalIgnoreCase);
        }

        // Read-only: no trigger button for township staff, and the command itself is refused.
        Assert.DoesNotContain("recurring/trigger", (await GetAsync(township, "/console/jobs/recurring")).Html, StringComparison.Ordinal);
        Assert.Contains("recurring/trigger", (await GetAsync(bureau, "/console/jobs/recurring")).Html, StringComparison.Ordinal);
        // The job used runs once a day at night (a job due every few minutes could start by itself during the test).
        Assert.False((await TriggerAsync(township, "followers-unionid-backfill")).IsSuccessStatusCode(), "township staff cannot trigger a job");
        Assert.Null(server.Services.RecurringJobs()["followers-unionid-backfill"].LastJobId);

        Assert.True((await TriggerAsync(bureau, "followers-unionid-backfill")).IsSuccessStatusCode(), "bureau staff trigger a job");
        Assert.NotNull(server.Services.RecurringJobs()["followers-unionid-backfill"].LastJobId);
    }

    private static async Task<(HttpStatusCode Status, string Html)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> TriggerAsync(HttpClient client, string jobId)
    {
        using var content = new FormUrlEncodedContent([new KeyValuePair<string, string>("jobs[]", jobId)]);
        using var response = await client.PostAsync(new Uri("/console/jobs/recurring/trigger", UriKind.Relative), content);
        return response.StatusCode;
    }
}

internal static class StatusCodeChecks
{
    public static bool IsSuccessStatusCode(this HttpStatusCode status) => (int)status is >= 200 and < 300;
}
