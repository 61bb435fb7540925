using System.Runtime.CompilerServices;

namespace WeChatAssist.Policy;

/// <summary>Receives explanation steps; a struct so the silent sink costs nothing after inlining.</summary>
internal interface IStepSink
{
    void Add(in ExplanationStep step);
}

/// <summary>Discards steps (figures for the other tier options).</summary>
internal struct SilentSteps : IStepSink
{
    public readonly void Add(in ExplanationStep step) { }
}

/// <summary>Explanation steps collected on the stack; only the exact-size result array is allocated.</summary>
internal struct StepBuffer : IStepSink
{
    private const int Capacity = 24;
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
