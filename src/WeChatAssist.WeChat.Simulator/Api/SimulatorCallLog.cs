using System.Text.Json;
using System.Text.Json.Nodes;

namespace WeChatAssist.WeChat.Simulator.Api;

/// <summary>One call the simulator received.</summary>
/// <param name="Sequence">Order of arrival, from 1.</param>
/// <param name="At">When it arrived.</param>
/// <param name="Endpoint">Path without the prefix, e.g. <c>cgi-bin/message/custom/send</c>.</param>
/// <param name="Method">HTTP method.</param>
/// <param name="AppId">The app the call was made for (from its token or query), when known.</param>
/// <param name="Query">Query string.</param>
/// <param name="Body">Request body as text (JSON), or null.</param>
/// <param name="ErrorCode">errcode answered (0 for success; -1 for HTTP faults and timeouts).</param>
public sealed record SimulatorCall(long Sequence, DateTimeOffset At, string Endpoint, string Method, string? AppId, string Query, string? Body, int ErrorCode);

/// <summary>Every call the simulator received, inspectable by tests and the chat page.</summary>
public sealed class SimulatorCallLog
{
    private const int Capacity = 10_000;
    private readonly Lock _gate = new();
    private readonly LinkedList<SimulatorCall> _calls = new();
    private long _sequence;
    private TaskCompletionSource _changed = NewSignal();

    /// <summary>Calls in arrival order, optionally only one endpoint's.</summary>
    public IReadOnlyList<SimulatorCall> Calls(string? endpoint = null)
    {
        lock (_gate)
            return [.. _calls.Where(c => endpoint is null || c.Endpoint == endpoint.Trim('/'))];
    }

    /// <summary>Endpoints that deliver a message to a person.</summary>
    public static IReadOnlyList<string> MessageEndpoints { get; } =
    [
        "cgi-bin/message/custom/send",
        "cgi-bin/message/template/send",
        "cgi-bin/message/subscribe/bizsend",
        "cgi-bin/message/subscribe/send",
        "cgi-bin/message/mass/send",
    ];

    /// <summary>Accepted messages sent to one OpenID (customer-service, template, subscribe, mass by list), oldest first.</summary>
    public IReadOnlyList<SimulatorCall> Outbox(string openId)
    {
        ArgumentNullException.ThrowIfNull(openId);
        return [.. Calls().Where(c => c.ErrorCode == 0 && MessageEndpoints.Contains(c.Endpoint) && IsAddressedTo(c.Body, openId))];
    }

    /// <summary>Forgets every call.</summary>
    public void Clear()
    {
        lock (_gate)
            _calls.Clear();
    }

    /// <summary>Waits until a call matching <paramref name="predicate"/> is recorded.</summary>
    public async Task<SimulatorCall> WaitForAsync(Func<SimulatorCall, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                var found = _calls.FirstOrDefault(predicate);
                if (found is not null)
                    return found;
                signal = _changed.Task;
            }
            try
            {
                await signal.WaitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No matching simulator call within {timeout}.");
            }
        }
    }

    private static bool IsAddressedTo(string? body, string openId)
    {
        if (body is null)
            return false;
        try
        {
            return JsonNode.Parse(body)?["touser"] switch
            {
                JsonValue v => v.TryGetValue<string>(out var s) && s == openId,
                JsonArray a => a.Any(n => n is JsonValue v && v.TryGetValue<string>(out var s) && s == openId),
                _ => false,
            };
        }
        catch (JsonException)
        {
            return false;
        }
    }

    internal void Record(string endpoint, string method, string? appId, string query, string? body, int errorCode)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _calls.AddLast(new SimulatorCall(++_sequence, DateTimeOffset.UtcNow, endpoint, method, appId, query, body, errorCode));
            if (_calls.Count > Capacity)
                _calls.RemoveFirst();
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
