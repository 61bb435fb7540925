using System.Collections.Concurrent;

namespace WeChatAssist.Server.Chat.Dialogue;

/// <summary>Dialogue state in process memory (one node, tests, benchmarks); expired entries are dropped on read and
/// swept when the store grows.</summary>
internal sealed class InMemoryDialogueStateStore(TimeProvider clock) : IDialogueStateStore
{
    private const int SweepAbove = 100_000;
    private readonly ConcurrentDictionary<(string Account, string UserId), (DialogueState State, DateTimeOffset ExpiresAt)> _states = new();

    public ValueTask<DialogueState?> GetAsync(string account, string userId, CancellationToken cancellationToken)
    {
        if (_states.TryGetValue((account, userId), out var entry))
        {
            if (entry.ExpiresAt > clock.GetUtcNow())
            {
                return ValueTask.FromResult<DialogueState?>(entry.State);
            }

            _states.TryRemove((account, userId), out _);
        }

        return ValueTask.FromResult<DialogueState?>(null);
    }

    public ValueTask SaveAsync(string account, string userId, DialogueState state, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        _states[(account, userId)] = (state, now + lifetime);
        if (_states.Count > SweepAbove)
        {
            foreach (var (key, value) in _states)
            {
                if (value.ExpiresAt <= now)
                {
                    _states.TryRemove(key, out _);
                }
            }
        }

        return ValueTask.CompletedTask;
    }
}
