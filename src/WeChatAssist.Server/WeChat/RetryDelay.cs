namespace WeChatAssist.Server.WeChat;

/// <summary>How long to wait before sending a message again after a transient WeChat failure: the base delay doubled
/// per attempt up to a cap, times a random factor in [1 − spread, 1 + spread) so that retries spread out.</summary>
internal static class RetryDelay
{
    /// <param name="attempt">The failed attempt's number, 1 for the first send.</param>
    /// <param name="baseDelay">The wait after the first failure, before jitter.</param>
    /// <param name="cap">The longest wait before jitter.</param>
    /// <param name="spread">How far the jitter reaches either side, as a fraction (0.5: from half to one and a half).</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan After(int attempt, TimeSpan baseDelay, TimeSpan cap, double spread, double random)
    {
        // Doubled step by step, stopping at the cap, so a long run of attempts cannot overflow.
        var delay = baseDelay;
        for (var i = 1; i < attempt && delay < cap; i++)
        {
            delay *= 2;
        }

        return (delay > cap ? cap : delay) * (1 - spread + (2 * spread * random));
    }
}
