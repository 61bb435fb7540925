using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Tests.Infrastructure;

namespace WeChatAssist.Server.Tests;

public sealed class StartupFailureTests
{
    public static TheoryData<string, string?, string> InvalidSettings => new()
    {
        { "Database:Provider", "Oracle", "Database:Provider: 'Oracle' is not supported" },
        { "Clock:Now", "2026-01-15 09:00", "Clock:Now: '2026-01-15 09:00' is not an ISO 8601" },
        { "Clock:TimeZone", "Mars/Olympus", "Clock:TimeZone: 'Mars/Olympus' is not a known time zone" },
        { "Database:ConnectRetry:MaxAttempts", "0", "Database:ConnectRetry:MaxAttempts: 0 is out of range" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Invalid_configuration_stops_start_up_naming_the_key(string key, string? value, string expected)
    {
        using var file = new TempSqliteFile();
        using var server = ServerFactory.ForSqlite(file.ConnectionString, extra: new Dictionary<string, string?> { [key] = value });

        var failure = FindInChain<OptionsValidationException>(Record.Exception(() => server.CreateClient()));

        Assert.Contains(failure.Failures, message => message.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Postgres_without_a_connection_string_names_the_missing_key()
    {
        using var server = new ServerFactory(new Dictionary<string, string?> { ["Database:Provider"] = "Postgres", ["ConnectionStrings:Default"] = "" });

        var failure = FindInChain<OptionsValidationException>(Record.Exception(() => server.CreateClient()));

        Assert.Contains(failure.Failures, message => message.StartsWith("ConnectionStrings:Default: is required when Database:Provider is 'Postgres'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_corrupt_SQLite_file_is_reported_and_left_untouched()
    {
        using var file = new TempSqliteFile();
        var garbage = new byte[8192];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(file.Path, garbage);
        using var server = ServerFactory.ForSqlite(file.ConnectionString);

        var failure = FindInChain<DatabaseStartupException>(Record.Exception(() => server.CreateClient()));

        Assert.Contains(file.Path, failure.Message, StringComparison.Ordinal);
        Assert.Contains("not a usable SQLite database", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.Equal(garbage, await File.ReadAllBytesAsync(file.Path));
    }

    [Fact]
    public async Task An_unreachable_PostgreSQL_is_retried_with_backoff_then_reported_in_one_line()
    {
        var options = Databases.Options(DatabaseProvider.Postgres, "Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none;Timeout=2", maxAttempts: 3);
        await using var target = DatabaseTarget.Create(options, Path.GetTempPath());
        var logger = new ListLogger<DatabaseConnector>();
        var connector = Databases.Connector(target, options, logger);
        var stopwatch = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<DatabaseStartupException>(() => connector.OpenAsync(CancellationToken.None));

        Assert.Equal("PostgreSQL 127.0.0.1:1/none is unreachable after 3 attempts: Connection refused. Check ConnectionStrings:Default and that the server is running.", failure.Message);
        var warnings = logger.Entries.Where(e => e.Level == LogLevel.Warning).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, w => Assert.Null(w.Exception));
        Assert.Contains("attempt 1 of 3", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("Retrying in 0.05 s", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("Retrying in 0.1 s", warnings[1].Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(150), "The attempts must be spaced by the backoff.");
    }

    [Fact]
    public void The_server_stops_with_an_unreachable_PostgreSQL_instead_of_serving()
    {
        using var server = ServerFactory.ForPostgres("Host=127.0.0.1;Port=1;Username=nobody;Password=x;Database=none", extra: new Dictionary<string, string?>
        {
            ["Database:ConnectRetry:MaxAttempts"] = "2",
            ["Database:ConnectRetry:InitialDelay"] = "00:00:00.050",
        });

        var failure = FindInChain<DatabaseStartupException>(Record.Exception(() => server.CreateClient()));

        Assert.Contains("unreachable after 2 attempts", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_real_process_prints_one_line_naming_the_key_and_exits_non_zero()
    {
        var serverDll = Path.Combine(AppContext.BaseDirectory, "WeChatAssist.Server.dll");
        var start = new ProcessStartInfo("dotnet", [serverDll])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["Database__Provider"] = "Oracle";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        await process.WaitForExitAsync(timeout.Token);

        Assert.NotEqual(0, process.ExitCode);
        var lines = (await stderr + await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["Invalid configuration: Database:Provider: 'Oracle' is not supported; use 'Sqlite' or 'Postgres'."], lines);
    }

    private static T FindInChain<T>(Exception? exception) where T : Exception
    {
        var pending = new Stack<Exception>();
        if (exception is not null)
        {
            pending.Push(exception);
        }

        while (pending.TryPop(out var current))
        {
            if (current is T match)
            {
                return match;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is not null)
            {
                pending.Push(current.InnerException);
            }
        }

        throw new Xunit.Sdk.XunitException($"Expected a {typeof(T).Name} but got: {exception}");
    }
}
