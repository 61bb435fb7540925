using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace WeChatAssist.WeChat.Security;

/// <summary>
/// WeChat safe-mode message encryption: AES-256-CBC with the IV taken from the key, PKCS#7 padding to a
/// multiple of 32 bytes (done by hand, .NET only pads to the 16-byte block), plaintext laid out as
/// 16 random bytes + 4-byte big-endian length + message + app id.
/// </summary>
/// <remarks>Thread-safe: the AES instance is only used through its one-shot methods and its key never changes.</remarks>
public sealed class SafeModeCipher : IDisposable
{
    /// <summary>WeChat pads to this block size, not AES's 16.</summary>
    public const int PaddingBlockSize = 32;

    /// <summary>Length of an EncodingAESKey.</summary>
    public const int EncodingAesKeyLength = 43;

    private const int RandomLength = 16;
    private const int HeaderLength = RandomLength + 4;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Aes _aes;
    private readonly byte[] _iv;
    private readonly byte[] _appId;
    private readonly int _maxCiphertextBytes;

    /// <summary>Creates a cipher for one account.</summary>
    /// <param name="encodingAesKey">The 43-character EncodingAESKey from the WeChat console.</param>
    /// <param name="appId">The account's app id, appended to every plaintext and checked after decryption.</param>
    /// <param name="maxCiphertextBytes">Longest ciphertext accepted by <see cref="TryDecrypt"/>, in bytes after base64 decoding.</param>
    public SafeModeCipher(string encodingAesKey, string appId, int maxCiphertextBytes = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(appId);
        if (!IsValidEncodingAesKey(encodingAesKey))
            throw new ArgumentException("An EncodingAESKey is exactly 43 characters of the base64 alphabet (A-Z, a-z, 0-9, +, /).", nameof(encodingAesKey));
        var key = Convert.FromBase64String(encodingAesKey + "=");
        _aes = Aes.Create();
        _aes.Key = key;
        _iv = key[..16];
        _appId = Encoding.UTF8.GetBytes(appId);
        _maxCiphertextBytes = maxCiphertextBytes;
    }

    /// <summary>True when <paramref name="value"/> has the shape of an EncodingAESKey.</summary>
    public static bool IsValidEncodingAesKey(string? value)
    {
        if (value is null || value.Length != EncodingAesKeyLength)
            return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '+' && c != '/')
                return false;
        }
        return true;
    }

    /// <summary>Encrypts a message with fresh random bytes; returns the base64 Encrypt value.</summary>
    public string Encrypt(string message)
    {
        Span<byte> random = stackalloc byte[RandomLength];
        RandomNumberGenerator.Fill(random);
        return Encrypt(message, random);
    }

    /// <summary>Encrypts a message with the given 16 random bytes (for official test vectors).</summary>
    public string Encrypt(string message, ReadOnlySpan<byte> random16)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (random16.Length != RandomLength)
            throw new ArgumentException("Exactly 16 random bytes are required.", nameof(random16));

        var messageLength = Encoding.UTF8.GetByteCount(message);
        var contentLength = HeaderLength + messageLength + _appId.Length;
        var pad = PaddingBlockSize - (contentLength % PaddingBlockSize);
        var total = contentLength + pad;

        var buffer = ArrayPool<byte>.Shared.Rent(total * 2);
        try
        {
            var plain = buffer.AsSpan(0, total);
            random16.CopyTo(plain);
            BinaryPrimitives.WriteInt32BigEndian(plain[RandomLength..], messageLength);
            Encoding.UTF8.GetBytes(message, plain.Slice(HeaderLength, messageLength));
            _appId.CopyTo(plain[(HeaderLength + messageLength)..]);
            plain[contentLength..].Fill((byte)pad);

            var cipher = buffer.AsSpan(total, total);
            _aes.EncryptCbc(plain, _iv, cipher, PaddingMode.None);
            return Convert.ToBase64String(cipher);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, total));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decrypts an Encrypt value; throws <see cref="SafeModeCryptoException"/> with a precise reason on failure.</summary>
    public string Decrypt(string encrypted) =>
        TryDecrypt(encrypted, out var message, out var error) ? message : throw new SafeModeCryptoException(error);

    /// <summary>Decrypts an Encrypt value, checking padding, length and app id; never throws for hostile input.</summary>
    public bool TryDecrypt(string? encrypted, out string message, out SafeModeError error)
    {
        message = string.Empty;
        if (string.IsNullOrEmpty(encrypted))
        {
            error = SafeModeError.InvalidLength;
            return false;
        }

        // Base64 expands 3 bytes to 4 characters, so this bounds the decoded size before allocating.
        var maxDecoded = (encrypted.Length / 4 * 3) + 3;
        if (maxDecoded > _maxCiphertextBytes + 3)
        {
            error = SafeModeError.InvalidLength;
            return false;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxDecoded * 2);
        try
        {
            if (!Convert.TryFromBase64String(encrypted, buffer.AsSpan(0, maxDecoded), out var cipherLength))
            {
                error = SafeModeError.InvalidBase64;
                return false;
            }
            if (cipherLength == 0 || cipherLength % 16 != 0)
            {
                error = SafeModeError.InvalidLength;
                return false;
            }

            var plain = buffer.AsSpan(maxDecoded, cipherLength);
            _aes.DecryptCbc(buffer.AsSpan(0, cipherLength), _iv, plain, PaddingMode.None);
            return TryUnpack(plain, out message, out error);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, maxDecoded * 2));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool TryUnpack(ReadOnlySpan<byte> plain, out string message, out SafeModeError error)
    {
        message = string.Empty;
        int pad = plain[^1];
        if (pad is < 1 or > PaddingBlockSize || pad > plain.Length)
        {
            error = SafeModeError.InvalidPadding;
            return false;
        }
        foreach (var b in plain[^pad..])
        {
            if (b != pad)
            {
                error = SafeModeError.InvalidPadding;
                return false;
            }
        }

        var content = plain[..^pad];
        if (content.Length < HeaderLength)
        {
            error = SafeModeError.InvalidMessageLength;
            return false;
        }
        var messageLength = BinaryPrimitives.ReadInt32BigEndian(content[RandomLength..]);
        if (messageLength < 0 || messageLength > content.Length - HeaderLength)
        {
            error = SafeModeError.InvalidMessageLength;
            return false;
        }

        var appId = content[(HeaderLength + messageLength)..];
        if (!appId.SequenceEqual(_appId))
        {
            error = SafeModeError.AppIdMismatch;
            return false;
        }

        try
        {
            message = StrictUtf8.GetString(content.Slice(HeaderLength, messageLength));
        }
        catch (DecoderFallbackException)
        {
            error = SafeModeError.InvalidUtf8;
            return false;
        }
        error = SafeModeError.None;
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();
}
