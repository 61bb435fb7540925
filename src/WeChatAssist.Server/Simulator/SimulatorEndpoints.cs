namespace WeChatAssist.Server.Simulator;

/// <summary>Maps <c>/simulator</c> in Development only. A stub for now: the WeChat and chatbot features fill it.</summary>
internal static class SimulatorEndpoints
{
    public const string Path = "/simulator";

    public static IEndpointRouteBuilder MapSimulator(this IEndpointRouteBuilder endpoints)
    {
        var environment = endpoints.ServiceProvider.GetRequiredService<IHostEnvironment>();
        if (environment.IsDevelopment())
        {
            endpoints.MapGet(Path, GetSimulatorPage).ExcludeFromDescription();
        }

        return endpoints;
    }

    private static async Task<IResult> GetSimulatorPage(CancellationToken cancellationToken)
    {
        // The page is user-facing text, so it lives in templates/ and is copied beside the binaries.
        var page = System.IO.Path.Combine(AppContext.BaseDirectory, "templates", "simulator", "index.html");
        var html = await File.ReadAllTextAsync(page, cancellationToken);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}
