using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace WeChatAssist.Server.PersonalData;

/// <summary>Encrypts personal data with AES-256-GCM under rotatable keys and hashes it for exact lookup.</summary>
/// <remarks>Ciphertext is text: <c>{keyId}:{base64(nonce ‖ tag ‖ ciphertext)}</c>. The key id is also the
/// associated data, so a value cannot be relabelled to another key. Decryption picks the key the value names, so
/// rotating <c>ActiveKeyId</c> changes new writes only.</remarks>
internal sealed class PersonalDataProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;
    private readonly byte[] _lookupKey;

    public PersonalDataProtector(IOptions<PersonalDataOptions> options)
    {
        var o = options.Value;
        IsConfigured = o.IsConfigured;
        _keys = o.Keys.ToDictionary(k => k.Key, k => PersonalDataOptionsValidator.Decode(k.Value)!, StringComparer.Ordinal);
        _activeKeyId = o.ActiveKeyId;
        _lookupKey = PersonalDataOptionsValidator.Decode(o.LookupKey) ?? [];
    }

    /// <summary>False when <c>PersonalData:*</c> is not set at all; every operation then throws.</summary>
    public bool IsConfigured { get; }

    /// <summary>The key id new values are written with.</summary>
    public string ActiveKeyId => _activeKeyId;

    public static bool IsValidKeyId(string id) =>
        id.Length is > 0 and <= 32 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Encrypts <paramref name="plaintext"/> under the active key with a fresh random nonce.</summary>
    public string Protect(string plaintext)
    {
        EnsureConfigured();
        var key = _keys[_activeKeyId];
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var blob = new byte[NonceSize + TagSize + clear.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, clear, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), Encoding.ASCII.GetBytes(_activeKeyId));
        CryptographicOperations.ZeroMemory(clear);
        return _activeKeyId + ":" + Convert.ToBase64String(blob);
    }

    /// <summary>Decrypts a value written by <see cref="Protect"/> under any configured key.</summary>
    /// <exception cref="PersonalDataException">Unknown key id, malformed value, or a value that was altered.</exception>
    public string Unprotect(string protectedValue)
    {
        EnsureConfigured();
        var separator = protectedValue.IndexOf(':', StringComparison.Ordinal);
        if (separator <= 0)
        {
            throw new PersonalDataException("The protected value has no key id.");
        }

        var keyId = protectedValue[..separator];
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new PersonalDataException($"The protected value names key '{keyId}', which is not in {PersonalDataOptions.SectionName}:Keys.");
        }

        var blob = PersonalDataOptionsValidator.Decode(protectedValue[(separator + 1)..]);
        if (blob is null || blob.Length < NonceSize + TagSize)
        {
            throw new PersonalDataException("The protected value is not valid base64 of nonce, tag and ciphertext.");
        }

        var clear = new byte[blob.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), clear, Encoding.ASCII.GetBytes(keyId));
        }
        catch (AuthenticationTagMismatchException ex)
        {
            throw new PersonalDataException("The protected value failed authentication: it was altered or belongs to another key.", ex);
        }

        return Encoding.UTF8.GetString(clear);
    }

    /// <summary>HMAC-SHA256 of the value under <c>LookupKey</c>, lower-case hex: equal inputs give equal hashes,
    /// and without the key the hash cannot be brute-forced over the small space of ID numbers.</summary>
    public string LookupHash(string value)
    {
        EnsureConfigured();
        return Convert.ToHexStringLower(HMACSHA256.HashData(_lookupKey, Encoding.UTF8.GetBytes(value)));
    }

    private void EnsureConfigured()
    {
        if (!IsConfigured)
        {
            throw new InvalidOperationException($"{PersonalDataOptions.SectionName}:Keys, :ActiveKeyId and :LookupKey are not configured; personal data cannot be read or written.");
        }
    }
}

/// <summary>A protected value could not be read.</summary>
internal sealed class PersonalDataException : Exception
{
    public PersonalDataException(string message)
        : base(message)
    {
    }

    public PersonalDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PersonalDataException()
    {
    }
}
