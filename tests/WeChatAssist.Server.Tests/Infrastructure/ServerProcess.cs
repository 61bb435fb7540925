using System.Diagnostics;

namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>Runs the built server as its own process, the way an operator starts it, and collects what it printed.</summary>
internal static class ServerProcess
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Non-empty lines of standard error.</summary>
        public IReadOnlyList<string> ErrorLines =>
            StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Starts the server listening on a free local port; dispose to stop it.</summary>
    public static RunningServer Start(IDictionary<string, string> environment)
    {
        var port = FreePort();
        var start = StartInfo(environment, []);
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        return new RunningServer(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>Starts the server with <paramref name="environment"/> (keys in <c>Section__Key</c> form) and waits
    /// for it to exit; a server that keeps running past <paramref name="timeout"/> is killed and reported.</summary>
    public static async Task<Result> RunUntilExitAsync(IDictionary<string, string> environment, string[]? arguments = null, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(environment, arguments ?? []))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"The server did not exit. Output: {await stdout} {await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static ProcessStartInfo StartInfo(IDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "WeChatAssist.Server.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A server process that keeps running until disposed.</summary>
    public sealed class RunningServer : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;

        public RunningServer(Process process, Uri baseAddress)
        {
            _process = process;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = process.StandardError.ReadToEndAsync();
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public bool HasExited => _process.HasExited;

        /// <summary>The exit code, once the process has exited.</summary>
        public int ExitCode => _process.ExitCode;

        /// <summary>Everything printed so far, once the process has exited (for failure messages).</summary>
        public async Task<string> OutputAfterExitAsync() => await _stdout + await _stderr;

        /// <summary>Polls <c>/healthz</c> until it reports Healthy; fails with the server's output if it exits first
        /// or with the last answer if <paramref name="timeout"/> passes.</summary>
        public async Task WaitForHealthyAsync(TimeSpan timeout)
        {
            using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = DateTime.UtcNow + timeout;
            var last = "no answer";
            while (true)
            {
                if (_process.HasExited)
                {
                    throw new Xunit.Sdk.XunitException("The server exited: " + await OutputAfterExitAsync());
                }

                try
                {
                    using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    if (response.IsSuccessStatusCode && last.Contains("\"status\":\"Healthy\"", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                    last = e.Message;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new Xunit.Sdk.XunitException($"The server was not healthy within {timeout}: {last}");
                }

                await Task.Delay(200);
            }
        }

        /// <summary>Kills the process the way the kernel's OOM killer or <c>kill -9</c> would (on Linux
        /// <see cref="Process.Kill()"/> sends SIGKILL: no shutdown code runs) and waits until it is gone.</summary>
        public async Task KillAsync()
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        /// <summary>Stops the process the way a deploy or <c>systemctl stop</c> does: SIGTERM, so the host shuts down
        /// gracefully; waits until it has exited.</summary>
        public async Task TerminateAsync(TimeSpan timeout)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!)
            {
                await kill.WaitForExitAsync();
                Assert.Equal(0, kill.ExitCode);
            }

            using var deadline = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(deadline.Token);
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
