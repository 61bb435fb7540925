using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using WeChatAssist.Server.Clock;
using WeChatAssist.Server.Data;
using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Benchmarks;

/// <summary><c>jobs-latency --storage postgres|sqlite [--postgres "Host=…;Username=…"] [--seconds 120] [--every 5]</c>:
/// the server's database and job server (Hangfire.PostgreSql on a fresh database, or Hangfire.Storage.SQLite beside a
/// fresh SQLite file) with one recurring job due every <c>--every</c> seconds; each run records how long after its
/// scheduled second it started. Prints runs, median, 95th percentile and maximum lateness.</summary>
internal static class JobLatency
{
    public const string Verb = "jobs-latency";

    public static async Task<int> RunAsync(string[] args)
    {
        var storage = Option(args, "--storage") ?? "sqlite";
        var seconds = int.Parse(Option(args, "--seconds") ?? "120", CultureInfo.InvariantCulture);
        var every = int.Parse(Option(args, "--every") ?? "5", CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" };
        string? folder = null;
        if (storage == "postgres")
        {
            var server = Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("WECHATASSIST_TEST_POSTGRES")
                ?? throw new InvalidOperationException("--postgres is required for --storage postgres");
            var name = string.Create(CultureInfo.InvariantCulture, $"bench_jobs_{DateTime.UtcNow:yyyyMMddHHmmss}");
            await using (var connection = new NpgsqlConnection(server))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
                await command.ExecuteNonQueryAsync();
            }

            settings["Database:Provider"] = "Postgres";
            settings["ConnectionStrings:Default"] = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        }
        else
        {
            folder = Path.Combine(Path.GetTempPath(), "wca-jobs-latency-" + Guid.NewGuid().ToString("N"));
            settings["Database:Provider"] = "Sqlite";
            settings["Database:DataDirectory"] = folder;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development", Args = [] });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddBusinessClock();
        builder.AddDatabase();
        builder.AddScheduling();
        var samples = new LatenessSamples(every);
        builder.Services.AddSingleton(samples);
        builder.Services.AddRecurringJob<LatenessProbeJob>("bench-lateness", string.Create(CultureInfo.InvariantCulture, $"*/{every} * * * * *"));
        await using var app = builder.Build();
        await app.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        await app.StopAsync();

        var lateness = samples.Values.Order().ToList();
        if (lateness.Count == 0)
        {
            Console.WriteLine($"{storage}: the recurring job never ran in {seconds} s");
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{storage}: {lateness.Count} runs of a job due every {every} s over {seconds} s; started after its time by median {lateness[lateness.Count / 2]:F2} s, p95 {lateness[(int)(lateness.Count * 0.95)]:F2} s, max {lateness[^1]:F2} s"));
        if (folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder; the job storage may still hold its file for a moment.
            }
        }

        return 0;
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}

/// <summary>Seconds between each run's scheduled time (the last multiple of the period) and its start.</summary>
internal sealed class LatenessSamples(int every)
{
    private readonly ConcurrentBag<double> _values = [];

    public IEnumerable<double> Values => _values;

    public void Record(DateTimeOffset startedAt)
    {
        var periodTicks = TimeSpan.FromSeconds(every).Ticks;
        var due = new DateTimeOffset(startedAt.UtcTicks - (startedAt.UtcTicks % periodTicks), TimeSpan.Zero);
        _values.Add((startedAt - due).TotalSeconds);
    }
}

internal sealed class LatenessProbeJob(LatenessSamples samples, TimeProvider realClock) : IRecurringJob
{
    public Task RunAsync(CancellationToken cancellationToken)
    {
        samples.Record(realClock.GetUtcNow());
        return Task.CompletedTask;
    }
}
