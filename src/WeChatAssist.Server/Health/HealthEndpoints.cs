using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace WeChatAssist.Server.Health;

/// <summary>Maps <c>/healthz</c>. The checks themselves are registered by their features (<c>database</c> by
/// AddDatabase, <c>scheduler</c> by AddScheduling).</summary>
internal static class HealthEndpoints
{
    public const string Path = "/healthz";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(Path, new HealthCheckOptions { ResponseWriter = HealthJsonWriter.WriteAsync });
        return endpoints;
    }
}
