namespace WeChatAssist.WeChat.Security;

/// <summary>Why a safe-mode ciphertext was rejected.</summary>
public enum SafeModeError
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The Encrypt field is not valid base64.</summary>
    InvalidBase64,

    /// <summary>The ciphertext is empty, too long, or not a whole number of AES blocks.</summary>
    InvalidLength,

    /// <summary>The 32-byte PKCS#7 padding is malformed.</summary>
    InvalidPadding,

    /// <summary>The 4-byte message length does not fit the decrypted content.</summary>
    InvalidMessageLength,

    /// <summary>The app id after the message is not this account's.</summary>
    AppIdMismatch,

    /// <summary>The message is not valid UTF-8.</summary>
    InvalidUtf8,
}

/// <summary>A safe-mode ciphertext could not be decrypted; <see cref="Error"/> says why.</summary>
public sealed class SafeModeCryptoException : Exception
{
    /// <summary>Creates the exception for a given error.</summary>
    public SafeModeCryptoException(SafeModeError error)
        : base($"WeChat safe-mode decryption failed: {error}.") => Error = error;

    /// <summary>Creates the exception with a message (for invalid keys).</summary>
    public SafeModeCryptoException(string message)
        : base(message) => Error = SafeModeError.None;

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public SafeModeCryptoException(string message, Exception innerException)
        : base(message, innerException) => Error = SafeModeError.None;

    /// <summary>Creates the exception (serialisation-free default).</summary>
    public SafeModeCryptoException()
        : base("WeChat safe-mode decryption failed.") => Error = SafeModeError.None;

    /// <summary>The reason for the failure.</summary>
    public SafeModeError Error { get; }
}
