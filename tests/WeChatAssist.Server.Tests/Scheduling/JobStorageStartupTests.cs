using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests.Scheduling;

/// <summary>A job storage that cannot be reached at start is waited for like the database, then reported in one line
/// naming its configuration key, as the real server process does.</summary>
public sealed class JobStorageStartupTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task An_unreachable_job_storage_is_retried_then_reported_in_one_line_naming_its_key()
    {
        var result = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = await postgres.CreateDatabaseAsync(),
            ["ConnectionStrings__Jobs"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=secret-word;Database=jobs",
            ["Database__ConnectRetry__MaxAttempts"] = "3",
            ["Database__ConnectRetry__InitialDelay"] = "00:00:00.100",
        });

        Assert.Equal(Hosting.StartupFailureReporting.DatabaseErrorExitCode, result.ExitCode);
        Assert.Equal(
            ["Job storage error: PostgreSQL 127.0.0.1:1/jobs (schema hangfire) is unreachable after 3 attempts: Connection refused. Check ConnectionStrings:Jobs and that the server is running."],
            result.ErrorLines);
        Assert.Contains("is unreachable (attempt 1 of 3): Connection refused. Retrying in 0.1 s.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("is unreachable (attempt 2 of 3): Connection refused. Retrying in 0.2 s.", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-word", result.StandardOutput + string.Join('\n', result.ErrorLines), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardOutput, StringComparison.Ordinal);
    }
}
