using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace WeChatAssist.WeChat.Simulator.Api;

/// <summary>
/// Sends the WeChat API client's requests to this application's own simulator, whatever port Kestrel chose:
/// the scheme, host and port are replaced by the server's first HTTP address and the simulator prefix is added.
/// </summary>
internal sealed class SelfRedirectHandler(IServer server, string prefix) : DelegatingHandler
{
    private readonly string _prefix = "/" + prefix.Trim('/');

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestUri is { } original)
        {
            var path = original.AbsolutePath.StartsWith(_prefix + "/", StringComparison.Ordinal) ? original.AbsolutePath : _prefix + original.AbsolutePath;
            request.RequestUri = new UriBuilder(SelfAddress(server)) { Path = path, Query = original.Query.TrimStart('?') }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }

    /// <summary>This server's own loopback-reachable base address (HTTP preferred).</summary>
    public static Uri SelfAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The server exposes no addresses; is it started?");
        var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server listens on no address.");
        var uri = new Uri(chosen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        // A wildcard bind is reachable on loopback, where the simulator answers.
        return uri.Host is "0.0.0.0" or "[::]" or "::" ? new UriBuilder(uri) { Host = "127.0.0.1" }.Uri : uri;
    }
}
