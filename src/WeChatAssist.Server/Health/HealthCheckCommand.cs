using System.Globalization;

namespace WeChatAssist.Server.Health;

/// <summary><c>WeChatAssist.Server healthcheck [url]</c>: asks a running server's <c>/healthz</c> and exits 0 when it
/// answers 200 (Healthy or Degraded), 1 otherwise. The container image has no curl; its health check runs this.
/// Without a URL it asks the port this process would listen on (<c>ASPNETCORE_HTTP_PORTS</c>, <c>ASPNETCORE_URLS</c>,
/// else 5080) on 127.0.0.1.</summary>
internal static class HealthCheckCommand
{
    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "healthcheck";

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var url = args.Length > 1 ? new Uri(args[1]) : new Uri($"http://127.0.0.1:{LocalPort().ToString(CultureInfo.InvariantCulture)}/healthz");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            await output.WriteLineAsync($"{url} {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await output.WriteLineAsync($"{url} unreachable: {e.Message}");
            return 1;
        }
    }

    private static int LocalPort()
    {
        var ports = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS") ?? Environment.GetEnvironmentVariable("HTTP_PORTS");
        if (ports?.Split(';', ',')[0] is { Length: > 0 } first && int.TryParse(first, CultureInfo.InvariantCulture, out var port))
        {
            return port;
        }

        var urls = Environment.GetEnvironmentVariable("ASPNETCORE_URLS") ?? Environment.GetEnvironmentVariable("URLS");
        if (urls?.Split(';')[0] is { Length: > 0 } address && Uri.TryCreate(address.Replace("*", "localhost", StringComparison.Ordinal).Replace("+", "localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return uri.Port;
        }

        return 5080;
    }
}
