using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

/// <summary>Start-up failures, observed on the real process: one line on standard error, a non-zero exit code, no
/// stack trace.</summary>
public sealed class StartupFailureTests
{
    private const int ConfigurationError = 2;
    private const int DatabaseError = 3;

    public static TheoryData<string, string, string> InvalidSettings => new()
    {
        { "Database__Provider", "Oracle", "Database:Provider: 'Oracle' is not supported; use 'Sqlite' or 'Postgres'." },
        { "Clock__Now", "2026-01-15 09:00", "Clock:Now: '2026-01-15 09:00' is not an ISO 8601 date and time with an offset, e.g. 2026-01-15T09:00:00+08:00." },
        { "Clock__TimeZone", "Mars/Olympus", "Clock:TimeZone: 'Mars/Olympus' is not a known time zone id, e.g. Asia/Shanghai." },
        { "Database__ConnectRetry__MaxAttempts", "0", "Database:ConnectRetry:MaxAttempts: 0 is out of range; use 1 to 1000." },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public async Task Invalid_configuration_stops_start_up_with_one_line_naming_the_key(string variable, string value, string expected)
    {
        using var file = new TempSqliteFile();

        var result = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = file.ConnectionString,
            [variable] = value,
        });

        Assert.Equal(ConfigurationError, result.ExitCode);
        Assert.Equal(["Invalid configuration: " + expected], result.ErrorLines);
        Assert.DoesNotContain("   at ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void The_host_refuses_to_start_with_an_OptionsValidationException_naming_the_key(string variable, string value, string expected)
    {
        using var file = new TempSqliteFile();
        string[] args =
        [
            $"--{variable.Replace("__", ":", StringComparison.Ordinal)}={value}",
            $"--ConnectionStrings:Default={file.ConnectionString}",
            $"--contentRoot={file.Directory}",
            "--urls=http://127.0.0.1:0",
        ];

        // Program's own entry point, in this process: when another program hosts it, the failure is an exception.
        var thrown = Record.Exception(() => typeof(Program).Assembly.EntryPoint!.Invoke(null, [args]));

        var failure = Assert.IsType<OptionsValidationException>(Assert.IsType<TargetInvocationException>(thrown).InnerException);
        Assert.Contains(expected, failure.Failures);
    }

    [Fact]
    public async Task Postgres_without_a_connection_string_names_the_missing_key()
    {
        var result = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string> { ["Database__Provider"] = "Postgres" });

        Assert.Equal(ConfigurationError, result.ExitCode);
        Assert.Equal(
            ["Invalid configuration: ConnectionStrings:Default: is required when Database:Provider is 'Postgres' (set it in an environment variable or user secrets)."],
            result.ErrorLines);
    }

    [Fact]
    public async Task A_secret_written_in_a_settings_file_stops_start_up_naming_the_key()
    {
        using var file = new TempSqliteFile();
        await File.WriteAllTextAsync(
            Path.Combine(file.Directory, "appsettings.Staging.json"),
            """{ "WeChat": { "Accounts": { "county": { "AppSecret": "0123456789abcdef" } } } }""");

        var result = await ServerProcess.RunUntilExitAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Default"] = file.ConnectionString },
            ["--contentRoot", file.Directory, "--environment", "Staging"]);

        Assert.Equal(ConfigurationError, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("Invalid configuration: WeChat:Accounts:county:AppSecret (appsettings.Staging.json): is a secret", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_SQLite_file_is_reported_in_one_line_and_left_untouched()
    {
        using var file = new TempSqliteFile();
        var garbage = new byte[8192];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(file.Path, garbage);

        var result = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string> { ["ConnectionStrings__Default"] = file.ConnectionString });

        Assert.Equal(DatabaseError, result.ExitCode);
        Assert.Equal(
            [$"Database error: SQLite file '{file.Path}' is not a usable SQLite database (SQLite Error 26: 'file is not a database'). It was left untouched: move it aside or restore it from a backup, then start again."],
            result.ErrorLines);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(file.Path));
        Assert.False(File.Exists(file.Path + "-wal"));
    }

    [Fact]
    public async Task A_data_folder_that_cannot_be_created_is_reported_in_one_line()
    {
        using var file = new TempSqliteFile();
        var blocker = Path.Combine(file.Directory, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "a file where the data folder should be");

        var result = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["ConnectionStrings__Default"] = $"Data Source={Path.Combine(blocker, "data", "test.db")}",
        });

        Assert.Equal(DatabaseError, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"Database error: The data folder '{Path.Combine(blocker, "data")}' cannot be created", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_is_retried_then_reported_in_one_line_without_a_stack_trace()
    {
        var result = await ServerProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__Default"] = "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none",
            ["Database__ConnectRetry__MaxAttempts"] = "3",
            ["Database__ConnectRetry__InitialDelay"] = "00:00:00.100",
        });

        Assert.Equal(DatabaseError, result.ExitCode);
        Assert.Equal(
            ["Database error: PostgreSQL 127.0.0.1:1/none is unreachable after 3 attempts: Connection refused. Check ConnectionStrings:Default and that the server is running."],
            result.ErrorLines);
        Assert.Contains("is unreachable (attempt 1 of 3): Connection refused. Retrying in 0.1 s.", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("is unreachable (attempt 2 of 3): Connection refused. Retrying in 0.2 s.", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connector_backs_off_exponentially_between_attempts()
    {
        var options = Databases.Options(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2", maxAttempts: 4);
        await using var target = DatabaseTarget.Create(options, Path.GetTempPath());
        var logger = new ListLogger<DatabaseConnector>();
        var connector = Databases.Connector(target, options, logger);
        var stopwatch = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<DatabaseStartupException>(() => connector.OpenAsync(CancellationToken.None));

        Assert.Contains("unreachable after 4 attempts", failure.Message, StringComparison.Ordinal);
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.Equal(3, warnings.Count);

        // 50 ms, doubled, capped at MaxDelay (200 ms).
        Assert.EndsWith("Retrying in 0.05 s.", warnings[0], StringComparison.Ordinal);
        Assert.EndsWith("Retrying in 0.1 s.", warnings[1], StringComparison.Ordinal);
        Assert.EndsWith("Retrying in 0.2 s.", warnings[2], StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(350), "The attempts must be spaced by the backoff.");
    }

    [Fact]
    public async Task A_refused_login_is_not_retried()
    {
        var server = Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable)
            ?? throw new InvalidOperationException($"{PostgresServer.EnvironmentVariable} is not set. Run ./test.sh from the repository root.");
        var wrongPassword = new Npgsql.NpgsqlConnectionStringBuilder(server) { Password = "wrong-password" }.ConnectionString;
        var options = Databases.Options(DatabaseProvider.Postgres, wrongPassword, maxAttempts: 5);
        await using var target = DatabaseTarget.Create(options, Path.GetTempPath());
        var logger = new ListLogger<DatabaseConnector>();

        var failure = await Assert.ThrowsAsync<DatabaseStartupException>(() => Databases.Connector(target, options, logger).OpenAsync(CancellationToken.None));

        Assert.Contains("refused the connection", failure.Message, StringComparison.Ordinal);
        Assert.Contains("28P01", failure.Message, StringComparison.Ordinal);
        Assert.Empty(logger.Entries);
    }

    [Theory]
    [InlineData("Oracle", "Database:Provider: 'Oracle' is not supported; use 'Sqlite' or 'Postgres'.")]
    [InlineData("postgres", null)]
    [InlineData("SQLITE", null)]
    public void Provider_names_are_checked_case_insensitively(string provider, string? expected)
    {
        var connectionString = provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase) ? "Data Source=x.db" : "Host=db";
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { Provider = provider, ConnectionString = connectionString });

        Assert.Equal(expected, result.Failed ? Assert.Single(result.Failures!) : null);
    }

    [Fact]
    public void A_postgres_connection_string_with_the_default_provider_is_refused_with_the_fix()
    {
        var result = new DatabaseOptionsValidator().Validate(null, new DatabaseOptions { ConnectionString = "Host=db;Username=postgres" });

        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("ConnectionStrings:Default: is not a valid SQLite connection string", failure, StringComparison.Ordinal);
        Assert.EndsWith("for PostgreSQL set Database:Provider to 'Postgres'.", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Clock_validator_accepts_the_defaults()
    {
        Assert.True(new ClockOptionsValidator().Validate(null, new ClockOptions()).Succeeded);
    }
}
