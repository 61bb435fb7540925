using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.Hosting;

/// <summary>Running behind a reverse proxy: forwarded headers from the configured proxies only, and sign-in attempts
/// limited per real client address.</summary>
internal static class ReverseProxy
{
    private const string LoginPath = "/api/v1/staff/login";

    public static IHostApplicationBuilder AddReverseProxy(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostingOptions>()
            .Bind(builder.Configuration.GetSection(HostingOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HostingOptions>, HostingOptionsValidator>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<HostingOptions>>((forwarded, hosting) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // The framework trusts loopback by default; here only what the operator listed is trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in hosting.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in hosting.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }

            // Walk X-Forwarded-For from the right through every trusted hop (a CDN before nginx, say) and stop at the
            // first address that is not a listed proxy: that one is the client.
            forwarded.ForwardLimit = null;
        });
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(LoginPath, StringComparison.OrdinalIgnoreCase))
                {
                    return RateLimitPartition.GetNoLimiter(string.Empty);
                }

                var perMinute = context.RequestServices.GetRequiredService<IOptions<HostingOptions>>().Value.LoginAttemptsPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
            });
        });
        // First in the pipeline, before routing, authentication and everything that reads the scheme, host or address.
        builder.Services.AddSingleton<IStartupFilter, ReverseProxyStartupFilter>();
        return builder;
    }

    private sealed class ReverseProxyStartupFilter(IOptions<HostingOptions> options) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            if (options.Value.HasProxies)
            {
                app.UseForwardedHeaders();
            }

            app.UseRateLimiter();
            next(app);
        };
    }
}
