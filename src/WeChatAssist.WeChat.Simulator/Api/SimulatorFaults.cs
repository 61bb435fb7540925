namespace WeChatAssist.WeChat.Simulator.Api;

/// <summary>What an injected fault does to a call.</summary>
public enum SimulatorFaultKind
{
    /// <summary>Answer with a WeChat errcode (-1, 45009, 43101, 40001, ...).</summary>
    ErrorCode,

    /// <summary>Wait, then answer normally.</summary>
    Delay,

    /// <summary>Never answer; the call hangs until the caller gives up.</summary>
    Timeout,

    /// <summary>Answer with an HTTP error status (e.g. 502).</summary>
    HttpStatus,
}

/// <summary>A fault applied to the next <see cref="Count"/> calls of an endpoint.</summary>
/// <param name="Endpoint">Path without the prefix, e.g. <c>cgi-bin/message/custom/send</c>, or <c>*</c> for every endpoint.</param>
/// <param name="Kind">What happens.</param>
/// <param name="Count">How many calls it affects.</param>
public sealed record SimulatorFault(string Endpoint, SimulatorFaultKind Kind, int Count = 1)
{
    /// <summary>errcode for <see cref="SimulatorFaultKind.ErrorCode"/>.</summary>
    public int ErrorCode { get; init; } = -1;

    /// <summary>Delay for <see cref="SimulatorFaultKind.Delay"/>, in milliseconds.</summary>
    public int DelayMilliseconds { get; init; }

    /// <summary>Status for <see cref="SimulatorFaultKind.HttpStatus"/>.</summary>
    public int HttpStatus { get; init; } = 502;

    /// <summary>When set (0 to 1), the fault hits each matching call with this probability and stays until
    /// <see cref="SimulatorFaults.Clear"/>, ignoring <see cref="Count"/> (e.g. 10% of calls answer -1).</summary>
    public double? Rate { get; init; }
}

/// <summary>Faults waiting to be applied, consumed in the order they were injected.</summary>
public sealed class SimulatorFaults
{
    private readonly Lock _gate = new();
    private readonly List<(SimulatorFault Fault, int Remaining)> _pending = [];

    /// <summary>Queues a fault.</summary>
    public void Inject(SimulatorFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Count, 1);
        lock (_gate)
            _pending.Add((fault, fault.Count));
    }

    /// <summary>Removes every pending fault.</summary>
    public void Clear()
    {
        lock (_gate)
            _pending.Clear();
    }

    /// <summary>Pending faults and how many calls each still affects.</summary>
    public IReadOnlyList<(SimulatorFault Fault, int Remaining)> Pending()
    {
        lock (_gate)
            return [.. _pending];
    }

    /// <summary>Takes the next fault for an endpoint, if any.</summary>
    public SimulatorFault? TryTake(string endpoint)
    {
        lock (_gate)
        {
            for (var i = 0; i < _pending.Count; i++)
            {
                var (fault, remaining) = _pending[i];
                if (fault.Endpoint != "*" && !string.Equals(fault.Endpoint.Trim('/'), endpoint, StringComparison.Ordinal))
                    continue;
                if (fault.Rate is { } rate)
                {
#pragma warning disable CA5394 // Fault injection, not security.
                    if (Random.Shared.NextDouble() < rate)
                        return fault;
#pragma warning restore CA5394
                    continue;
                }
                if (remaining <= 1)
                    _pending.RemoveAt(i);
                else
                    _pending[i] = (fault, remaining - 1);
                return fault;
            }
            return null;
        }
    }
}
