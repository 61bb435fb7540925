using System.Globalization;
using Quartz.Extensibility;

namespace WeChatAssist.Server.Scheduling;

/// <summary>Names this node in the Quartz cluster as host, process id and a random suffix. Quartz's default
/// (host name plus current time) can give two processes started at the same moment on one host the same id, and
/// two nodes sharing an id overwrite each other's check-ins.</summary>
internal sealed class NodeInstanceIdGenerator : IInstanceIdGenerator
{
    public ValueTask<string> GenerateInstanceId(CancellationToken cancellationToken = default)
    {
        var host = Environment.MachineName.Length > 60 ? Environment.MachineName[..60] : Environment.MachineName;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        return ValueTask.FromResult(string.Create(CultureInfo.InvariantCulture, $"{host}-{Environment.ProcessId}-{suffix}"));
    }
}
