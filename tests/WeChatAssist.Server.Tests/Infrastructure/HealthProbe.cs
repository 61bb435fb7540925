using System.Net;
using System.Text.Json;

namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>Reads <c>/healthz</c> the way a load balancer would.</summary>
internal static class HealthProbe
{
    /// <summary>Polls until the report is Healthy (the scheduler starts just after the application), or gives up
    /// and returns the last answer so the assertion shows what was wrong.</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Body)> WaitForHealthyAsync(HttpClient client, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if ((response.StatusCode == HttpStatusCode.OK && body.GetProperty("status").GetString() == "Healthy") || DateTime.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }

            await Task.Delay(100);
        }
    }
}
