namespace WeChatAssist.WeChat.Api;

/// <summary>How a WeChat error should be handled.</summary>
public enum WeChatErrorClass
{
    /// <summary>Try again shortly (system busy, HTTP 5xx, timeouts); the client retries these itself.</summary>
    Transient,

    /// <summary>The access token was rejected; the client refreshes it once and retries once.</summary>
    Token,

    /// <summary>A quota or frequency limit was reached; retrying now will not help.</summary>
    Quota,

    /// <summary>The request itself is wrong or not allowed (bad OpenID, user refused, invalid template, ...).</summary>
    Permanent,
}

/// <summary>A failed WeChat call: its errcode, errmsg and class.</summary>
/// <param name="ErrorCode">WeChat's errcode; -1 also stands for HTTP failures and timeouts.</param>
/// <param name="ErrorMessage">WeChat's errmsg, or a description of the transport failure.</param>
/// <param name="Class">How to handle it.</param>
public sealed record WeChatError(int ErrorCode, string ErrorMessage, WeChatErrorClass Class)
{
    /// <summary>An error from an errcode, classified by <see cref="WeChatErrorCodes.Classify"/>.</summary>
    public static WeChatError FromCode(int errorCode, string? errorMessage) =>
        new(errorCode, errorMessage ?? string.Empty, WeChatErrorCodes.Classify(errorCode));

    /// <summary>A transport failure (HTTP status, timeout, unreadable body); always transient.</summary>
    public static WeChatError Transport(string description) => new(WeChatErrorCodes.SystemBusy, description, WeChatErrorClass.Transient);

    /// <inheritdoc />
    public override string ToString() => $"WeChat error {ErrorCode} ({Class}): {ErrorMessage}";
}

/// <summary>The outcome of a WeChat API call: a value, or a classified error.</summary>
/// <typeparam name="T">The value type.</typeparam>
public sealed class WeChatResult<T> : IWeChatResultError
{
    private readonly T? _value;

    internal WeChatResult(T? value, WeChatError? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>True when the call succeeded.</summary>
    public bool IsSuccess => Error is null;

    /// <summary>The error, when the call failed.</summary>
    public WeChatError? Error { get; }

    /// <summary>The value; throws <see cref="InvalidOperationException"/> when the call failed.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException(Error.ToString());

    /// <summary>Carries this failure over to another value type.</summary>
    public WeChatResult<TOther> CastError<TOther>() =>
        WeChatResult.Failure<TOther>(Error ?? throw new InvalidOperationException("The call succeeded."));

    /// <inheritdoc />
    public override string ToString() => IsSuccess ? $"Success({_value})" : Error!.ToString();
}

/// <summary>Creates <see cref="WeChatResult{T}"/> values.</summary>
public static class WeChatResult
{
    /// <summary>A success.</summary>
    public static WeChatResult<T> Success<T>(T value) => new(value, null);

    /// <summary>A failure.</summary>
    public static WeChatResult<T> Failure<T>(WeChatError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}

/// <summary>Non-generic view of a result's error, for retry predicates.</summary>
internal interface IWeChatResultError
{
    WeChatError? Error { get; }
}

/// <summary>The value of calls that return nothing but success.</summary>
public readonly record struct WeChatOk;
