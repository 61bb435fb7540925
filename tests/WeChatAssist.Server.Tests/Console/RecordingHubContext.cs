using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using WeChatAssist.Server.StaffConsole;

namespace WeChatAssist.Server.Tests.Console;

/// <summary>Stands in for the progress hub's context and records what the publisher sends to which groups.
/// (The .NET SignalR client is not available here; the browser test drives the real hub.)</summary>
internal sealed class RecordingHubContext : IHubContext<ProgressHub>
{
    public ConcurrentQueue<(IReadOnlyList<string> Groups, string Method, object?[] Args)> Sent { get; } = new();

    public IHubClients Clients => new Recipients(this);

    public IGroupManager Groups => throw new NotSupportedException();

    public async Task<(IReadOnlyList<string> Groups, string Method, object?[] Args)> WaitForAsync(Func<(IReadOnlyList<string> Groups, string Method, object?[] Args), bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            var found = Sent.FirstOrDefault(match);
            if (found.Method is not null)
            {
                return found;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("nothing matching was pushed; sent: " + string.Join("; ", Sent.Select(s => string.Join(",", s.Groups))));
    }

    private sealed class Recipients(RecordingHubContext owner) : IHubClients
    {
        /// <summary>Recorded with the group list <c>["*"]</c>.</summary>
        public IClientProxy All => new Proxy(owner, ["*"]);

        public IClientProxy Groups(IReadOnlyList<string> groupNames) => new Proxy(owner, groupNames);

        public IClientProxy Group(string groupName) => new Proxy(owner, [groupName]);

        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy Client(string connectionId) => throw new NotSupportedException();

        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();

        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();

        public IClientProxy User(string userId) => throw new NotSupportedException();

        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    private sealed class Proxy(RecordingHubContext owner, IReadOnlyList<string> groups) : IClientProxy
    {
        public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            owner.Sent.Enqueue((groups, method, args));
            return Task.CompletedTask;
        }
    }
}
