using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>A real nginx (the Debian package ./test.sh installs) as a child process in the foreground, with a
/// generated configuration in a temporary directory, on a free loopback port, in front of <c>upstreams</c>.
/// It does what a county's HTTPS proxy does: tells the servers the request came in over https for
/// <see cref="PublicHost"/> and from the client's address, and passes WebSocket upgrades. It connects to the servers
/// from <see cref="ProxyAddress"/> (127.0.0.2), so the servers can trust it while a request straight from 127.0.0.1
/// stays untrusted. A test stands in for a client at another address with the <c>X-Test-Client</c> header (nginx's
/// realip module, as if a load balancer before nginx had said so); the answer's <c>X-Upstream</c> header names the
/// server that answered.</summary>
internal sealed class Nginx : IAsyncDisposable
{
    public const string ProxyAddress = "127.0.0.2";
    public const string PublicHost = "ybj.example.gov.cn";
    public const string ClientHeader = "X-Test-Client";

    private readonly Process _process;
    private readonly string _directory;

    private Nginx(Process process, string directory, Uri baseAddress)
    {
        _process = process;
        _directory = directory;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static string? Executable =>
        new[] { "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx" }.FirstOrDefault(File.Exists);

    public static async Task<Nginx> StartAsync(IEnumerable<Uri> upstreams)
    {
        var executable = Executable ?? throw new InvalidOperationException("nginx is not installed; ./test.sh installs it (apt-get install nginx).");
        var directory = Directory.CreateTempSubdirectory("wechatassist-nginx.").FullName;
        var port = FreePort();
        var servers = string.Concat(upstreams.Select(u => $"    server {u.Host}:{u.Port.ToString(CultureInfo.InvariantCulture)};\n"));
        // As root nginx would hand the workers to 'nobody', who cannot write the temp directory.
        var user = Environment.UserName == "root" ? "user root;\n" : "";
        var config = $$"""
            {{user}}worker_processes 1;
            daemon off;
            pid {{directory}}/nginx.pid;
            error_log {{directory}}/error.log warn;
            events { worker_connections 256; }
            http {
              access_log off;
              client_body_temp_path {{directory}}/client_body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              set_real_ip_from 127.0.0.1;
              real_ip_header {{ClientHeader}};
              upstream wechatassist {
            {{servers}}  }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass http://wechatassist;
                  proxy_bind {{ProxyAddress}};
                  proxy_http_version 1.1;
                  proxy_set_header Upgrade $http_upgrade;
                  proxy_set_header Connection $connection_upgrade;
                  proxy_set_header Host $host;
                  proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                  proxy_set_header X-Forwarded-Proto https;
                  proxy_set_header X-Forwarded-Host {{PublicHost}};
                  proxy_read_timeout 300s;
                  add_header X-Upstream $upstream_addr always;
                }
              }
            }
            """;
        var file = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(file, config);
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-p", directory, "-c", file, "-e", Path.Combine(directory, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var nginx = new Nginx(process, directory, new Uri($"http://127.0.0.1:{port}"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (process.HasExited)
            {
                var log = File.Exists(Path.Combine(directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(directory, "error.log")) : "";
                throw new Xunit.Sdk.XunitException($"nginx exited ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()} {log}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return nginx;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGKILL of the master alone would leave its worker behind: stop it the way nginx -s quit does.
            using (var quit = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture) } })!)
            {
                await quit.WaitForExitAsync();
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
