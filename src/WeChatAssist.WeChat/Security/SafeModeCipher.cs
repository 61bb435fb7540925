using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace WeChatAssist.WeChat.Security;

/// <summary>
/// WeChat safe-mode message encryption: AES-256-CBC with the IV taken from the key, PKCS#7 padding to a
/// multiple of 32 bytes (done by hand, .NET only pads to the 16-byte block), plaintext laid out as
/// 16 random bytes + 4-byte big-endian length + message + app id.
/// </summary>
/// <remarks>
/// Thread-safe. CBC transforms are pooled because creating one per call (key setup, native context) costs more than
/// encrypting a whole message; a transform resets to the IV after each final block, so reuse is exact.
/// </remarks>
public sealed class SafeModeCipher : IDisposable
{
    /// <summary>WeChat pads to this block size, not AES's 16.</summary>
    public const int PaddingBlockSize = 32;

    /// <summary>Length of an EncodingAESKey.</summary>
    public const int EncodingAesKeyLength = 43;

    private const int RandomLength = 16;
    private const int HeaderLength = RandomLength + 4;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private const int RandomBatch = 1024;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_randomOffset;

    private readonly Aes _aes;
    private readonly ConcurrentBag<ICryptoTransform> _encryptors = [];
    private readonly ConcurrentBag<ICryptoTransform> _decryptors = [];
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
        _aes.Mode = CipherMode.CBC;
        _aes.Padding = PaddingMode.None;
        // WeChat's IV is the first 16 bytes of the key; Aes.Create() starts with a random one.
        _aes.IV = key[..16];
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
        return Encrypt(message, NextRandom());
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

            Transform(_encryptors, encrypt: true, buffer, 0, total, buffer, total);
            return Convert.ToBase64String(buffer, total, total);
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

            Transform(_decryptors, encrypt: false, buffer, 0, cipherLength, buffer, maxDecoded);
            return TryUnpack(buffer.AsSpan(maxDecoded, cipherLength), out message, out error);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, maxDecoded * 2));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Transform(ConcurrentBag<ICryptoTransform> pool, bool encrypt, byte[] input, int offset, int count, byte[] output, int outputOffset)
    {
        if (!pool.TryTake(out var transform))
            transform = encrypt ? _aes.CreateEncryptor() : _aes.CreateDecryptor();
        var written = transform.TransformBlock(input, offset, count, output, outputOffset);
        // The final block (empty here: no padding mode) resets the chaining value to the IV for the next use.
        _ = transform.TransformFinalBlock([], 0, 0);
        if (written != count)
        {
            transform.Dispose();
            throw new CryptographicException("AES-CBC transformed an unexpected number of bytes.");
        }
        pool.Add(transform);
    }

    /// <summary>16 bytes from the CSPRNG, fetched in batches per thread to avoid a system call per message.</summary>
    private static ReadOnlySpan<byte> NextRandom()
    {
        var batch = t_random;
        if (batch is null || t_randomOffset + RandomLength > RandomBatch)
        {
            batch = t_random ??= new byte[RandomBatch];
            RandomNumberGenerator.Fill(batch);
            t_randomOffset = 0;
        }
        var span = batch.AsSpan(t_randomOffset, RandomLength);
        t_randomOffset += RandomLength;
        return span;
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
    public void Dispose()
    {
        while (_encryptors.TryTake(out var e))
            e.Dispose();
        while (_decryptors.TryTake(out var d))
            d.Dispose();
        _aes.Dispose();
    }
}
