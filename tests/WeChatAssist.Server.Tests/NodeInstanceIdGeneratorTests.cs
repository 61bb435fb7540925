using WeChatAssist.Server.Scheduling;

namespace WeChatAssist.Server.Tests;

public sealed class NodeInstanceIdGeneratorTests
{
    [Fact]
    public async Task Ids_generated_at_the_same_moment_on_one_host_differ()
    {
        var generator = new NodeInstanceIdGenerator();

        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => generator.GenerateInstanceId().AsTask()));

        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.StartsWith($"{Environment.MachineName}-{Environment.ProcessId}-", id, StringComparison.Ordinal));
    }
}
