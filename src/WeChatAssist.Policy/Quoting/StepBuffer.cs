using System.Runtime.CompilerServices;

namespace WeChatAssist.Policy;

/// <summary>Explanation steps collected on the stack; only the exact-size result array is allocated.</summary>
internal struct StepBuffer
{
    private const int Capacity = 32;
    private Steps _items;
    private int _count;

    /// <summary>A buffer that records steps (the default one discards them, for tier options).</summary>
    public static StepBuffer Recording() => new() { Enabled = true };

    public bool Enabled { get; private set; }

    public void Add(in ExplanationStep step)
    {
        if (!Enabled)
        {
            return;
        }

        if (_count == Capacity)
        {
            throw new InvalidOperationException("more explanation steps than the buffer holds");
        }

        _items[_count++] = step;
    }

    public readonly ExplanationStep[] ToArray() => ((ReadOnlySpan<ExplanationStep>)_items)[.._count].ToArray();

    [InlineArray(Capacity)]
    private struct Steps
    {
        private ExplanationStep _element;
    }
}
