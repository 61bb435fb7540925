namespace WeChatAssist.Server.Tests.Infrastructure;

/// <summary>The throwaway redis-server that <c>./test.sh</c> starts; each test gets a channel prefix of its own so
/// tests running at once never hear each other's hub messages.</summary>
public sealed class RedisServer
{
    public const string EnvironmentVariable = "WECHATASSIST_TEST_REDIS";

    /// <summary>A <c>SignalR:Redis</c> connection string with a fresh channel prefix.</summary>
    public static string NewBackplaneConnectionString()
    {
        var endpoint = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run ./test.sh from the repository root: it starts a throwaway redis-server and sets it.");
        }

        return $"{endpoint},channelPrefix=test-{Guid.NewGuid():N}";
    }
}
