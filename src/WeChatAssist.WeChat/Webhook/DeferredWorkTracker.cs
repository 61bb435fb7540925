using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;

namespace WeChatAssist.WeChat.Webhook;

/// <summary>
/// Keeps handlers that overran the reply budget alive through a graceful shutdown, so a resident's late answer is
/// still sent during a rolling deployment; they are cancelled only when the host's shutdown timeout runs out.
/// </summary>
internal sealed class DeferredWorkTracker : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<Task, byte> _pending = new();
    private readonly CancellationTokenSource _abort = new();

    /// <summary>Cancelled when the host gives up waiting for deferred work.</summary>
    public CancellationToken Aborted => _abort.Token;

    public int Pending => _pending.Count;

    public void Track(Task work)
    {
        _pending.TryAdd(work, 0);
        _ = work.ContinueWith(static (t, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(t, out _), _pending,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.WhenAll(_pending.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _abort.Dispose();
}
