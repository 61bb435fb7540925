using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>A PostgreSQL cluster of one test's own (initdb in a temporary directory, a free port, trust auth), for
/// faults the shared test server must not suffer, such as a restart. Run as root, the binaries run as the
/// <c>postgres</c> user through <c>runuser</c>, as ./test.sh does. Dispose to stop it and delete its files.</summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>Directory of <c>initdb</c> and <c>pg_ctl</c>; ./test.sh sets it to the binaries it found or installed.</summary>
    public const string BinEnvironmentVariable = "WECHATASSIST_TEST_PG_BIN";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _bin;
    private readonly string _directory;
    private readonly int _port;
    private readonly List<string> _connectionStrings = [];

    private PostgresCluster(string bin, string directory, int port)
    {
        _bin = bin;
        _directory = directory;
        _port = port;
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>Connection string of the <c>postgres</c> database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    /// <summary>Creates and starts a cluster. Fails (never skips) when the binaries cannot be found; like every
    /// PostgreSQL test it also fails, saying how to run, when <c>WECHATASSIST_TEST_POSTGRES</c> is not set.</summary>
    public static async Task<PostgresCluster> StartAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresServer.EnvironmentVariable)))
        {
            throw new InvalidOperationException(
                $"{PostgresServer.EnvironmentVariable} is not set. Run ./test.sh from the repository root: it installs PostgreSQL and sets it and {BinEnvironmentVariable}.");
        }

        var bin = FindBinaries();
        var directory = Directory.CreateTempSubdirectory("wechatassist-pg-cluster-").FullName;
        if (RunsAsRoot && !OperatingSystem.IsWindows())
        {
            // initdb refuses to run as root; the postgres user creates the data directory and the socket here.
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        }

        var cluster = new PostgresCluster(bin, directory, FreePort());
        try
        {
            await cluster.RunAsync("initdb", "-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale");
            await cluster.StartAgainAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
        _connectionStrings.Add(connectionString);
        return connectionString;
    }

    /// <summary><c>pg_ctl stop -m fast</c>: clients are disconnected, open transactions roll back, and the server
    /// is down when this returns.</summary>
    public Task StopAsync() => RunAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop");

    /// <summary>Starts the (stopped) cluster on its port and returns once it accepts connections.</summary>
    public Task StartAgainAsync() => RunAsync(
        "pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory, "postgres.log"), "-w", "-t", "60",
        "-o", $"-p {_port} -k {_directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=16MB",
        "start");

    public async ValueTask DisposeAsync()
    {
        // Only this cluster's pools: other tests' pools stay as they are.
        foreach (var connectionString in _connectionStrings.Append(ConnectionString))
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }

        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            {
                await RunAsync("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "60", "stop");
            }
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(RunsAsRoot ? "runuser" : Path.Combine(_bin, program))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        if (RunsAsRoot)
        {
            foreach (var prefix in new[] { "-u", "postgres", "--", Path.Combine(_bin, program) })
            {
                start.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(deadline.Token);
        if (process.ExitCode != 0)
        {
            var log = Path.Combine(_directory, "postgres.log");
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await stdout} {await stderr} {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "")}");
        }
    }

    private static bool RunsAsRoot => Environment.UserName == "root";

    /// <summary><c>WECHATASSIST_TEST_PG_BIN</c> when set (and then only it), else <c>pg_config --bindir</c>, else the
    /// newest <c>/usr/lib/postgresql/*/bin</c> holding <c>initdb</c> and <c>pg_ctl</c>.</summary>
    private static string FindBinaries()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable(BinEnvironmentVariable) is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }
        else
        {
            candidates.AddRange(PgConfigBinDir());
            if (Directory.Exists("/usr/lib/postgresql"))
            {
                candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0)
                    .Select(d => Path.Combine(d, "bin")));
            }
        }

        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                $"No PostgreSQL server binaries (initdb, pg_ctl) found (looked in: {(candidates.Count == 0 ? "nothing" : string.Join(", ", candidates))}). " +
                $"Set {BinEnvironmentVariable} to their directory, or install the postgresql package; ./test.sh installs it and sets {BinEnvironmentVariable}.");
    }

    private static IEnumerable<string> PgConfigBinDir()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("pg_config", "--bindir") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return process.ExitCode == 0 && output.Length > 0 ? [output] : [];
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config on the PATH.
            return [];
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
